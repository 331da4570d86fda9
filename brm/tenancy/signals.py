from django.dispatch import Signal

# Sent inside the accepting transaction with `invitation` and `membership`; domain apps link
# their records (a customer's contact gets its portal login) without tenancy knowing them.
invitation_accepted = Signal()

# Sent inside membership_update's transaction when an active member is deactivated, with
# `membership` and `actor`: what the member made that must not outlive them (their API keys) is
# stopped in the same transaction, by the app that owns it.
membership_deactivated = Signal()

# Sent by the deactivation confirmation page with `membership`; each receiver answers
# (title, [names]) for what deactivating will stop too (e.g. "API keys that will be revoked").
membership_deactivation_effects = Signal()
