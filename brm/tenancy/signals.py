from django.dispatch import Signal

# Sent inside the accepting transaction with `invitation` and `membership`; domain apps link
# their records (a customer's contact gets its portal login) without tenancy knowing them.
invitation_accepted = Signal()
