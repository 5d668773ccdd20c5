"""Writes to funds, the ledger, dues and loans (every one in a transaction, under row locks)."""

from funds.services.dues import dues_record
from funds.services.ledger import (
    MAX_AMOUNT,
    entry_record,
    entry_reverse,
    fund_create,
    fund_transfer,
    funds_for_new_club,
    ledger_names_replace,
    plan_create,
)
from funds.services.loans import (
    build_schedule,
    loan_approve,
    loan_disburse,
    loan_payoff,
    loan_reject,
    loan_repay,
    loan_request,
    loan_write_off,
    payoff_amount,
    repayment_reverse,
)

__all__ = [
    "MAX_AMOUNT",
    "build_schedule",
    "dues_record",
    "entry_record",
    "entry_reverse",
    "fund_create",
    "fund_transfer",
    "funds_for_new_club",
    "ledger_names_replace",
    "loan_approve",
    "loan_disburse",
    "loan_payoff",
    "loan_reject",
    "loan_repay",
    "loan_request",
    "loan_write_off",
    "payoff_amount",
    "plan_create",
    "repayment_reverse",
]
