from django.urls import path

from funds import views

app_name = "funds"

urlpatterns = [
    path("funds/", views.fund_list, name="fund_list"),
    path("funds/new/", views.fund_create, name="fund_create"),
    path("funds/<int:pk>/", views.fund_detail, name="fund_detail"),
    path("funds/<int:pk>/entries/new/", views.entry_create, name="entry_create"),
    path("funds/<int:pk>/transfer/", views.fund_transfer, name="transfer"),
    path("funds/<int:pk>/cash-book/", views.cash_book, name="cash_book"),
    path("funds/<int:pk>/cash-book.xlsx", views.cash_book, {"fmt": "xlsx"}, name="cash_book_xlsx"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("fund-transfers/", views.transfer_list, name="transfer_list"),
    path("fund-transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("fund-transfers/<int:pk>/withdraw/", views.transfer_cancel, name="transfer_cancel"),
    path("fund-plans/", views.plan_list, name="plan_list"),
    path("fund-plans/new/", views.plan_create, name="plan_create"),
    path("clubs/<int:club_id>/funds/", views.club_funds, name="club_funds"),
    path("clubs/<int:club_id>/dues/", views.dues, name="dues"),
    path("clubs/<int:club_id>/dues/record/", views.dues_record, name="dues_record"),
    path("clubs/<int:club_id>/dues/sync/", views.dues_sync, name="dues_sync"),
    path("clubs/<int:club_id>/loans/", views.loan_list, name="loan_list"),
    path("clubs/<int:club_id>/loans/new/", views.loan_create, name="loan_create"),
    path("clubs/<int:club_id>/loans/due/", views.loans_due, name="loans_due"),
    path("clubs/<int:club_id>/loans/book/", views.loan_book, name="loan_book"),
    path(
        "clubs/<int:club_id>/loans/book.xlsx",
        views.loan_book,
        {"fmt": "xlsx"},
        name="loan_book_xlsx",
    ),
    path("loans/<int:pk>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:pk>/decide/", views.loan_decide, name="loan_decide"),
    path("loans/<int:pk>/terms/", views.loan_terms, name="loan_terms"),
    path("loans/<int:pk>/disburse/", views.loan_disburse, name="loan_disburse"),
    path("loans/<int:pk>/repay/", views.loan_repay, name="loan_repay"),
    path("loans/<int:pk>/payoff/", views.loan_payoff, name="loan_payoff"),
    path("loans/<int:pk>/write-off/", views.loan_write_off, name="loan_write_off"),
    path("repayments/<int:pk>/reverse/", views.repayment_reverse, name="repayment_reverse"),
]
