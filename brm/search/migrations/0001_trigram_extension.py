"""pg_trgm, for the similarity of names (TrigramWordSimilarity) and the GIN trigram indexes the
areas put on their searched names. A trusted extension: the database owner may create it. On
SQLite the operation does nothing."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [TrigramExtension()]
