from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People join a tenant by invitation only (brm.tenancy.views.invitation_accept).
        return False
