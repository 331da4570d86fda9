from django.core import checks

from .seal import seal_files

NO_SEAL = (
    "No document seal key: sealed PDFs (agreements in force) cannot be made. Set "
    "BRM_SEAL_KEY_PATH, BRM_SEAL_CERT_PATH and BRM_SEAL_CHAIN_PATH to the seal key, its "
    "certificate and the issuing CA."
)


@checks.register(checks.Tags.security, deploy=True)
def seal_key_configured(app_configs, **kwargs):
    files = seal_files()
    if not files.exist():
        missing = ", ".join(str(p) for p in (files.key, files.cert, files.chain) if not p.is_file())
        return [checks.Warning(NO_SEAL, hint=f"Missing: {missing}", id="brm.W101")]
    return []
