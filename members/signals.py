"""What the member register announces to the apps above it (which it may not import).

``consent_withdrawn`` is sent by ``services.consent_withdraw`` inside its transaction, after the
member's own sensitive fields and their history are erased. Receivers erase what their app holds
under the same consent (the month deletes the member's health readings) and run in that
transaction: a receiver that fails rolls the whole withdrawal back. Arguments: ``member`` (the
locked, already cleared ``Member``) and ``by`` (the user recording the withdrawal).
"""

from django.dispatch import Signal

consent_withdrawn = Signal()
