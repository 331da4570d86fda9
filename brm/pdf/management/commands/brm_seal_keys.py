from django.core.management.base import BaseCommand

from brm.pdf.keys import generate_seal_files
from brm.pdf.seal import seal_files


class Command(BaseCommand):
    help = "Generate a local CA and document seal certificate where none is configured."

    def handle(self, *args, **options):
        files = seal_files()
        if generate_seal_files(files):
            self.stdout.write(f"Seal key and certificate written to {files.key.parent}")
        else:
            self.stdout.write(f"Seal key present: {files.key}")
