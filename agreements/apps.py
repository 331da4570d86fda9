"""Partnership Agreements, their versions and signatures."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "agreements"
    verbose_name = "Agreements"

    def ready(self):
        from . import sla_tasks  # noqa: F401  (registers the SLA reminder's due-job handler)

        _register_pdf_pages()
        _register_demo()


def _register_demo() -> None:
    from brm.web.registry import demo_data

    from .demo import seed_agreements

    demo_data.register("agreements", seed=seed_agreements, order=20)


def _register_pdf_pages() -> None:
    from brm.web.registry import staff_nav

    staff_nav.register(
        "agreement_pdf_verify",
        label=_("Verify a PDF"),
        url_name="agreement_pdf:verify",
        order=45,
    )
