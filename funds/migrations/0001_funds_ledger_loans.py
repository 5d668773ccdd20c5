# Funds, the append-only ledger, fund plans, dues and loans (schedules, repayments, history).

import datetime
import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('clubs', '0001_initial'),
        ('members', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Fund',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('revolving', 'Income-generation (revolving) fund'), ('operating', 'Operating fund'), ('care', 'Fund for caring for and promoting the role of older people'), ('other', 'Other fund')], max_length=10, verbose_name='kind')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('balance', models.BigIntegerField(default=0, editable=False, verbose_name='balance')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('club', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='funds', to='clubs.club', verbose_name='club')),
                ('owner_area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='funds', to='clubs.area', verbose_name='association of')),
            ],
            options={
                'verbose_name': 'fund',
                'verbose_name_plural': 'funds',
                'ordering': ['kind', 'name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='FundPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('revolving', 'Income-generation (revolving) fund'), ('operating', 'Operating fund'), ('care', 'Fund for caring for and promoting the role of older people'), ('other', 'Other fund')], default='care', max_length=10, verbose_name='fund kind')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('target', models.BigIntegerField(verbose_name='target (VND)')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('area', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='fund_plans', to='clubs.area', verbose_name='area')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('fund', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='plans', to='funds.fund', verbose_name='fund')),
            ],
            options={
                'verbose_name': 'fund plan',
                'verbose_name_plural': 'fund plans',
                'ordering': ['-year', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalFundPlan',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('revolving', 'Income-generation (revolving) fund'), ('operating', 'Operating fund'), ('care', 'Fund for caring for and promoting the role of older people'), ('other', 'Other fund')], default='care', max_length=10, verbose_name='fund kind')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='year')),
                ('target', models.BigIntegerField(verbose_name='target (VND)')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('area', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clubs.area', verbose_name='area')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('fund', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funds.fund', verbose_name='fund')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical fund plan',
                'verbose_name_plural': 'historical fund plans',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalLoan',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('principal', models.BigIntegerField(verbose_name='amount (VND)')),
                ('in_kind', models.CharField(blank=True, help_text='For a loan in kind (e.g. a breeding pig): what is lent; the amount is its value.', max_length=200, verbose_name='in kind')),
                ('purpose', models.CharField(max_length=300, verbose_name='purpose')),
                ('monthly_rate', models.DecimalField(decimal_places=3, default=Decimal('0.500'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('5'))], verbose_name='monthly interest rate (%)')),
                ('term_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(36)], verbose_name='term (months)')),
                ('method', models.CharField(choices=[('equal_principal', 'Equal monthly principal'), ('bullet', 'Monthly interest, principal at maturity')], default='equal_principal', max_length=16, verbose_name='repayment method')),
                ('status', models.CharField(choices=[('requested', 'Requested'), ('approved', 'Approved'), ('active', 'Disbursed, being repaid'), ('repaid', 'Repaid'), ('rejected', 'Rejected'), ('written_off', 'Written off')], default='requested', max_length=12, verbose_name='status')),
                ('requested_on', models.DateField(default=datetime.date.today, verbose_name='requested on')),
                ('approved_on', models.DateField(blank=True, null=True, verbose_name='approved on')),
                ('decision_note', models.CharField(blank=True, max_length=300, verbose_name='board decision note')),
                ('disbursed_on', models.DateField(blank=True, null=True, verbose_name='disbursed on')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('approved_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                ('borrower', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member', verbose_name='borrower')),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('fund', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='funds.fund', verbose_name='fund')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical loan',
                'verbose_name_plural': 'historical loans',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='LedgerEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='date')),
                ('amount', models.BigIntegerField(verbose_name='amount (VND)')),
                ('direction', models.CharField(choices=[('in', 'Income'), ('out', 'Expense')], max_length=3, verbose_name='direction')),
                ('category', models.CharField(choices=[('opening', 'Opening balance'), ('dues', 'Member dues'), ('donation', 'Donation'), ('grant', 'Project grant'), ('government', 'Government support'), ('loan_interest', 'Loan interest'), ('loan_principal', 'Loan principal repaid'), ('loan_disbursement', 'Loan disbursed'), ('hardship', 'Support to a member in hardship'), ('activity', 'Activity cost'), ('transfer', 'Transfer between funds'), ('other', 'Other')], max_length=20, verbose_name='category')),
                ('voucher_year', models.PositiveSmallIntegerField(editable=False)),
                ('voucher_seq', models.PositiveIntegerField(editable=False)),
                ('voucher_number', models.CharField(editable=False, max_length=20, verbose_name='voucher number')),
                ('payer', models.CharField(blank=True, max_length=200, verbose_name='payer / payee')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('transfer_group', models.UUIDField(blank=True, db_index=True, editable=False, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('fund', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='funds.fund', verbose_name='fund')),
                ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ledger_entries', to='members.member', verbose_name='member')),
                ('reverses', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='funds.ledgerentry', verbose_name='reverses')),
            ],
            options={
                'verbose_name': 'ledger entry',
                'verbose_name_plural': 'ledger entries',
                'ordering': ['-date', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Contribution',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('month', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(12)], verbose_name='month')),
                ('amount', models.BigIntegerField(verbose_name='amount (VND)')),
                ('club', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clubs.club', verbose_name='club')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contributions', to='members.member', verbose_name='member')),
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='contribution', to='funds.ledgerentry')),
            ],
            options={
                'verbose_name': 'monthly dues',
                'verbose_name_plural': 'monthly dues',
                'ordering': ['year', 'month'],
            },
        ),
        migrations.CreateModel(
            name='Loan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('principal', models.BigIntegerField(verbose_name='amount (VND)')),
                ('in_kind', models.CharField(blank=True, help_text='For a loan in kind (e.g. a breeding pig): what is lent; the amount is its value.', max_length=200, verbose_name='in kind')),
                ('purpose', models.CharField(max_length=300, verbose_name='purpose')),
                ('monthly_rate', models.DecimalField(decimal_places=3, default=Decimal('0.500'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('5'))], verbose_name='monthly interest rate (%)')),
                ('term_months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(36)], verbose_name='term (months)')),
                ('method', models.CharField(choices=[('equal_principal', 'Equal monthly principal'), ('bullet', 'Monthly interest, principal at maturity')], default='equal_principal', max_length=16, verbose_name='repayment method')),
                ('status', models.CharField(choices=[('requested', 'Requested'), ('approved', 'Approved'), ('active', 'Disbursed, being repaid'), ('repaid', 'Repaid'), ('rejected', 'Rejected'), ('written_off', 'Written off')], default='requested', max_length=12, verbose_name='status')),
                ('requested_on', models.DateField(default=datetime.date.today, verbose_name='requested on')),
                ('approved_on', models.DateField(blank=True, null=True, verbose_name='approved on')),
                ('decision_note', models.CharField(blank=True, max_length=300, verbose_name='board decision note')),
                ('disbursed_on', models.DateField(blank=True, null=True, verbose_name='disbursed on')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                ('borrower', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='loans', to='members.member', verbose_name='borrower')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('fund', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='loans', to='funds.fund', verbose_name='fund')),
            ],
            options={
                'verbose_name': 'loan',
                'verbose_name_plural': 'loans',
                'ordering': ['-requested_on', '-pk'],
            },
        ),
        migrations.AddField(
            model_name='ledgerentry',
            name='loan',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='funds.loan', verbose_name='loan'),
        ),
        migrations.CreateModel(
            name='Installment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveSmallIntegerField(verbose_name='no.')),
                ('due_on', models.DateField(verbose_name='due on')),
                ('principal', models.BigIntegerField(verbose_name='principal')),
                ('interest', models.BigIntegerField(verbose_name='interest')),
                ('paid_principal', models.BigIntegerField(default=0, verbose_name='principal paid')),
                ('paid_interest', models.BigIntegerField(default=0, verbose_name='interest paid')),
                ('waived_interest', models.BigIntegerField(default=0, verbose_name='interest waived')),
                ('loan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='installments', to='funds.loan')),
            ],
            options={
                'verbose_name': 'installment',
                'verbose_name_plural': 'installments',
                'ordering': ['loan', 'seq'],
            },
        ),
        migrations.CreateModel(
            name='Repayment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(verbose_name='date')),
                ('amount', models.BigIntegerField(verbose_name='amount (VND)')),
                ('principal', models.BigIntegerField(verbose_name='principal part')),
                ('interest', models.BigIntegerField(verbose_name='interest part')),
                ('early', models.BooleanField(default=False, verbose_name='early repayment')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('interest_entry', models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='funds.ledgerentry')),
                ('loan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='repayments', to='funds.loan')),
                ('principal_entry', models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='funds.ledgerentry')),
            ],
            options={
                'verbose_name': 'repayment',
                'verbose_name_plural': 'repayments',
                'ordering': ['date', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='fund',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('club__isnull', False), ('owner_area__isnull', True)), models.Q(('club__isnull', True), ('owner_area__isnull', False)), _connector='OR'), name='fund_exactly_one_owner'),
        ),
        migrations.AddConstraint(
            model_name='fund',
            constraint=models.CheckConstraint(condition=models.Q(('balance__gte', 0)), name='fund_balance_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='fund',
            constraint=models.UniqueConstraint(condition=models.Q(('kind__in', ['revolving', 'operating'])), fields=('club', 'kind'), name='fund_one_revolving_one_operating_per_club'),
        ),
        migrations.AddConstraint(
            model_name='fundplan',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('fund__isnull', False), ('area__isnull', True)), models.Q(('fund__isnull', True), ('area__isnull', False)), _connector='OR'), name='plan_fund_or_area'),
        ),
        migrations.AddConstraint(
            model_name='fundplan',
            constraint=models.CheckConstraint(condition=models.Q(('target__gt', 0)), name='plan_target_positive'),
        ),
        migrations.AddConstraint(
            model_name='fundplan',
            constraint=models.UniqueConstraint(fields=('fund', 'year'), name='plan_unique_fund_year'),
        ),
        migrations.AddConstraint(
            model_name='fundplan',
            constraint=models.UniqueConstraint(fields=('area', 'kind', 'year'), name='plan_unique_area_kind_year'),
        ),
        migrations.AddConstraint(
            model_name='contribution',
            constraint=models.UniqueConstraint(fields=('member', 'year', 'month'), name='contribution_once_a_month'),
        ),
        migrations.AddConstraint(
            model_name='contribution',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='contribution_positive'),
        ),
        migrations.AddConstraint(
            model_name='contribution',
            constraint=models.CheckConstraint(condition=models.Q(('month__gte', 1), ('month__lte', 12)), name='contribution_month_range'),
        ),
        migrations.AddConstraint(
            model_name='loan',
            constraint=models.CheckConstraint(condition=models.Q(('principal__gt', 0)), name='loan_principal_positive'),
        ),
        migrations.AddConstraint(
            model_name='loan',
            constraint=models.CheckConstraint(condition=models.Q(('term_months__gte', 1), ('term_months__lte', 36)), name='loan_term_range'),
        ),
        migrations.AddConstraint(
            model_name='loan',
            constraint=models.CheckConstraint(condition=models.Q(('monthly_rate__gte', 0)), name='loan_rate_not_negative'),
        ),
        migrations.AddIndex(
            model_name='ledgerentry',
            index=models.Index(fields=['fund', 'date'], name='entry_fund_date'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='entry_amount_positive'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.CheckConstraint(condition=models.Q(('direction__in', ['in', 'out'])), name='entry_direction_valid'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.UniqueConstraint(fields=('fund', 'voucher_number'), name='entry_unique_voucher_per_fund'),
        ),
        migrations.AddConstraint(
            model_name='ledgerentry',
            constraint=models.UniqueConstraint(fields=('fund', 'direction', 'voucher_year', 'voucher_seq'), name='entry_unique_voucher_seq'),
        ),
        migrations.AddConstraint(
            model_name='installment',
            constraint=models.UniqueConstraint(fields=('loan', 'seq'), name='installment_unique_seq'),
        ),
        migrations.AddConstraint(
            model_name='installment',
            constraint=models.CheckConstraint(condition=models.Q(('paid_principal__gte', 0), ('paid_principal__lte', models.F('principal'))), name='installment_principal_paid_range'),
        ),
        migrations.AddConstraint(
            model_name='installment',
            constraint=models.CheckConstraint(condition=models.Q(('paid_interest__gte', 0), ('paid_interest__lte', django.db.models.expressions.CombinedExpression(models.F('interest'), '-', models.F('waived_interest')))), name='installment_interest_paid_range'),
        ),
        migrations.AddConstraint(
            model_name='repayment',
            constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='repayment_positive'),
        ),
        migrations.AddConstraint(
            model_name='repayment',
            constraint=models.CheckConstraint(condition=models.Q(('amount', django.db.models.expressions.CombinedExpression(models.F('principal'), '+', models.F('interest'))), ('interest__gte', 0), ('principal__gte', 0)), name='repayment_split_adds_up'),
        ),
    ]
