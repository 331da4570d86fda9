"""Emails carry alternative bodies (an iTIP text/calendar part) and a Reply-To."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('outbox', '0002_alter_duejob_tenant_alter_outboxmessage_tenant'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxmessage',
            name='alternatives',
            field=models.JSONField(blank=True, default=list, verbose_name='alternative bodies'),
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='reply_to',
            field=models.JSONField(blank=True, default=list, verbose_name='reply to'),
        ),
    ]
