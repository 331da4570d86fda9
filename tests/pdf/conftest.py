import pytest

from brm.pdf.keys import SealFiles, generate_seal_files


@pytest.fixture(scope="session")
def seal_dir(tmp_path_factory):
    files = SealFiles.under(tmp_path_factory.mktemp("seal"))
    generate_seal_files(files)
    return files


@pytest.fixture(scope="session")
def other_seal_dir(tmp_path_factory):
    files = SealFiles.under(tmp_path_factory.mktemp("other-seal"))
    generate_seal_files(files, common_name="Someone else's seal")
    return files


def use_seal(settings, files: SealFiles) -> None:
    settings.BRM_SEAL_KEY_PATH = str(files.key)
    settings.BRM_SEAL_CERT_PATH = str(files.cert)
    settings.BRM_SEAL_CHAIN_PATH = str(files.chain)


@pytest.fixture
def seal_keys(settings, seal_dir):
    """This office's seal, generated once per run in a temporary folder."""
    use_seal(settings, seal_dir)
    return seal_dir


def sample_context(pages: int = 3, footer: str = "Agreement 7 · version 2 · in force") -> dict:
    para = (
        "The relationship manager and the business manager meet monthly to review the services "
        "consumed, the initiatives under way and the actions agreed. "
    ) * 6
    return {
        "title": "Partnership agreement (sample)",
        "footer": footer,
        "sections": [
            {"heading": f"Section {n}", "paragraphs": [para] * 4} for n in range(1, pages * 2 + 1)
        ],
        "rows": [("Service desk", "95 %", "97.2 %"), ("E-mail", "99.9 %", "99.95 %")],
    }
