from django.apps import AppConfig


class PdfConfig(AppConfig):
    name = "brm.pdf"
    label = "brm_pdf"
    verbose_name = "PDF documents"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy check)
