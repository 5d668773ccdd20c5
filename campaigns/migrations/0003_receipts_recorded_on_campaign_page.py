"""Mark the receipts written by a campaign's money form before the flag existed.

``services.receipt_record`` writes the care fund's receipt with the campaign's title as its
note; a receipt tagged afterwards (``receipt_tag``) keeps the note it had in the cash book.
"""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Left


def forwards(apps, schema_editor):
    CampaignReceipt = apps.get_model("campaigns", "CampaignReceipt")
    CampaignReceipt.objects.filter(
        entry__note=Left(F("campaign__title"), 300), recorded_here=False
    ).update(recorded_here=True)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_history_and_receipt_origin")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
