{#- The raw-file contract (shared/spec/input-contract.md) in one place.
    Each table: its source_table name (file stem), the entity used in model names, and its
    columns: raw name, snake_case name, type, role.
    role: key      -> null/empty rejects the row as missing_key
          required -> null/empty rejects the row as missing_value
          optional -> may be null
    type: text, date, timestamp, bigint, integer, decimal. -#}
{% macro ingest_contract() %}
    {%- set usid = {'raw': 'UniqueSubmissionID', 'name': 'unique_submission_id', 'type': 'bigint', 'role': 'key'} -%}
    {%- set contract = {
        'headers': {'source_table': 'IDS000_Header', 'columns': [
            usid,
            {'raw': 'OrgIDProv', 'name': 'provider_code', 'type': 'text', 'role': 'required'},
            {'raw': 'ReportingPeriodStartDate', 'name': 'reporting_period_start', 'type': 'date', 'role': 'required'},
            {'raw': 'ReportingPeriodEndDate', 'name': 'reporting_period_end', 'type': 'date', 'role': 'required'},
            {'raw': 'FileType', 'name': 'file_type', 'type': 'text', 'role': 'required'},
            {'raw': 'SubmittedAt', 'name': 'submitted_at', 'type': 'timestamp', 'role': 'required'},
            {'raw': 'DataSetVersion', 'name': 'data_set_version', 'type': 'text', 'role': 'required'},
        ]},
        'patients': {'source_table': 'IDS001_MPI', 'columns': [
            usid,
            {'raw': 'LocalPatientId', 'name': 'local_patient_id', 'type': 'text', 'role': 'key'},
            {'raw': 'Gender', 'name': 'gender_code', 'type': 'text', 'role': 'optional'},
            {'raw': 'EthnicCategory', 'name': 'ethnic_category', 'type': 'text', 'role': 'optional'},
            {'raw': 'LSOA2011', 'name': 'lsoa_2011', 'type': 'text', 'role': 'optional'},
        ]},
        'referrals': {'source_table': 'IDS101_Referral', 'duplicate_key': 'pathway_id', 'columns': [
            usid,
            {'raw': 'ServiceRequestId', 'name': 'service_request_id', 'type': 'text', 'role': 'key'},
            {'raw': 'PathwayID', 'name': 'pathway_id', 'type': 'text', 'role': 'key'},
            {'raw': 'LocalPatientId', 'name': 'local_patient_id', 'type': 'text', 'role': 'key'},
            {'raw': 'OrgIDComm', 'name': 'commissioner_code', 'type': 'text', 'role': 'optional'},
            {'raw': 'ReferralRequestReceivedDate', 'name': 'referral_received_date', 'type': 'date', 'role': 'required'},
            {'raw': 'SourceOfReferralIAPT', 'name': 'source_of_referral', 'type': 'text', 'role': 'optional'},
            {'raw': 'AgeAtReferral', 'name': 'age_at_referral', 'type': 'integer', 'role': 'optional'},
            {'raw': 'ServDischDate', 'name': 'discharge_date_submitted', 'type': 'date', 'role': 'optional'},
            {'raw': 'EndCode', 'name': 'end_code', 'type': 'text', 'role': 'optional'},
        ]},
        'presenting_complaints': {'source_table': 'IDS603_PresentingComplaints', 'columns': [
            usid,
            {'raw': 'PathwayID', 'name': 'pathway_id', 'type': 'text', 'role': 'key'},
            {'raw': 'PresComp', 'name': 'presenting_complaint_code', 'type': 'text', 'role': 'optional'},
            {'raw': 'PresCompCodSig', 'name': 'presenting_complaint_significance', 'type': 'text', 'role': 'optional'},
            {'raw': 'PresCompDate', 'name': 'presenting_complaint_date', 'type': 'date', 'role': 'required'},
        ]},
        'care_contacts': {'source_table': 'IDS201_CareContact', 'duplicate_key': 'care_contact_id',
                          'orphan_check': true, 'columns': [
            usid,
            {'raw': 'CareContactId', 'name': 'care_contact_id', 'type': 'text', 'role': 'key'},
            {'raw': 'PathwayID', 'name': 'pathway_id', 'type': 'text', 'role': 'key'},
            {'raw': 'CareContDate', 'name': 'care_contact_date', 'type': 'date', 'role': 'required'},
            {'raw': 'AppType', 'name': 'appointment_type', 'type': 'text', 'role': 'optional'},
            {'raw': 'AttendOrDNACode', 'name': 'attendance_code', 'type': 'text', 'role': 'optional'},
            {'raw': 'ConsMechanism', 'name': 'consultation_mechanism', 'type': 'text', 'role': 'optional'},
            {'raw': 'TherapyType', 'name': 'therapy_type', 'type': 'text', 'role': 'optional'},
        ]},
        'coded_scores': {'source_table': 'IDS606_CodedScoreAssessment', 'orphan_check': true, 'columns': [
            usid,
            {'raw': 'PathwayID', 'name': 'pathway_id', 'type': 'text', 'role': 'key'},
            {'raw': 'CareContactId', 'name': 'care_contact_id', 'type': 'text', 'role': 'optional'},
            {'raw': 'CodedAssToolType', 'name': 'questionnaire_code', 'type': 'text', 'role': 'optional'},
            {'raw': 'PersScore', 'name': 'score', 'type': 'decimal', 'role': 'optional'},
            {'raw': 'AssToolCompDate', 'name': 'score_date', 'type': 'date', 'role': 'required'},
        ]},
        'employment_statuses': {'source_table': 'IDS004_EmpStatus', 'columns': [
            usid,
            {'raw': 'LocalPatientId', 'name': 'local_patient_id', 'type': 'text', 'role': 'key'},
            {'raw': 'EmployStatus', 'name': 'employment_status', 'type': 'text', 'role': 'optional'},
            {'raw': 'EmployStatusRecDate', 'name': 'employment_status_date', 'type': 'date', 'role': 'required'},
            {'raw': 'SSPInd', 'name': 'ssp_indicator', 'type': 'text', 'role': 'optional'},
            {'raw': 'BenefitRecInd', 'name': 'benefit_indicator', 'type': 'text', 'role': 'optional'},
        ]},
        'quarterly_returns': {'source_table': 'kpi_returns', 'columns': [
            {'raw': 'Quarter', 'name': 'quarter_label', 'type': 'text', 'role': 'key'},
            {'raw': 'OrgCode', 'name': 'pct_code', 'type': 'text', 'role': 'key'},
            {'raw': 'ReturnType', 'name': 'return_type', 'type': 'text', 'role': 'required'},
            {'raw': 'SubmittedAt', 'name': 'submitted_at', 'type': 'timestamp', 'role': 'required'},
            {'raw': 'NilReturn', 'name': 'nil_return', 'type': 'text', 'role': 'optional'},
            {'raw': 'NilReturnReason', 'name': 'nil_return_reason', 'type': 'text', 'role': 'optional'},
            {'raw': 'LevelOfNeed', 'name': 'level_of_need', 'type': 'bigint', 'role': 'optional'},
            {'raw': 'ReferralsReceived', 'name': 'referrals_received', 'type': 'bigint', 'role': 'optional'},
            {'raw': 'EnteredTreatment', 'name': 'entered_treatment', 'type': 'bigint', 'role': 'optional'},
            {'raw': 'WaitingOver28Days', 'name': 'waiting_over_28_days', 'type': 'bigint', 'role': 'optional'},
            {'raw': 'CompletedTreatment', 'name': 'completed_treatment', 'type': 'bigint', 'role': 'optional'},
            {'raw': 'NotAtCasenessAtStart', 'name': 'not_at_caseness_at_start', 'type': 'bigint', 'role': 'optional'},
            {'raw': 'MovedToRecovery', 'name': 'moved_to_recovery', 'type': 'bigint', 'role': 'optional'},
            {'raw': 'MovedOffSickPayOrBenefits', 'name': 'moved_off_sick_pay_or_benefits', 'type': 'bigint', 'role': 'optional'},
        ]},
    } -%}
    {{ return(contract) }}
{% endmacro %}

{#- The contract entry whose source_table is given (e.g. 'IDS101_Referral'). -#}
{% macro ingest_table_by_source(source_table) %}
    {%- for entity, spec in ingest_contract().items() -%}
        {%- if spec.source_table == source_table -%}
            {{ return(spec) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("Unknown source_table " ~ source_table) }}
{% endmacro %}

{#- The seven Part A tables, in contract order. -#}
{% macro iapt_v2_source_tables() %}
    {{ return(['IDS000_Header', 'IDS001_MPI', 'IDS101_Referral', 'IDS603_PresentingComplaints',
               'IDS201_CareContact', 'IDS606_CodedScoreAssessment', 'IDS004_EmpStatus']) }}
{% endmacro %}

{#- Rejection reasons in precedence order (docs/architecture.md, docs/ingest.md): a row
    with several problems is rejected once, with the first. The first five reject a whole
    file (raw_file_inventory; bad_encoding also rejects single lines); the next three a
    line that is not a record (row_format_reasons). -#}
{% macro rejection_reasons() %}
    {{ return([
        ('unreadable_file', 'file cannot be read (not a regular file, dangling link, no access)'),
        ('misnamed_file', 'file name matches a contract file only when case is ignored'),
        ('empty_file', 'file has no header line, or a required file has no data rows'),
        ('bad_encoding', 'file or line is not UTF-8'),
        ('duplicate_column', 'header names a column twice'),
        ('blank_line', 'empty or whitespace-only line'),
        ('unterminated_quote', 'a quoted field is not closed on its line'),
        ('malformed_row', 'line has more or fewer fields than the header'),
        ('unread_line', 'line counted in the file but not returned by the CSV reader (a reader fault: the build fails)'),
        ('missing_header', 'submission folder has no usable IDS000_Header.csv'),
        ('bad_header_row_count', 'header file has 0 or more than 1 data rows'),
        ('bad_reporting_period', 'header reporting period is not the first to the last day of one calendar month'),
        ('duplicate_submission_id', 'UniqueSubmissionID already used by another submission folder (the first by folder path is kept)'),
        ('missing_file', 'submission lacks one of the seven files'),
        ('missing_column', 'file lacks a required column'),
        ('unparseable_value', 'a date, timestamp or number is not of its accepted form (docs/input-contract.md)'),
        ('missing_value', 'a required value is null or empty'),
        ('missing_key', 'a key value is null or empty'),
        ('submission_id_mismatch', "UniqueSubmissionID differs from the folder's header"),
        ('duplicate_key', 'key repeated inside one submission'),
        ('orphan_event', "PathwayID not among the submission's accepted referrals"),
        ('unknown_nil_return', 'NilReturn not Y, N or empty'),
        ('unknown_org_code', 'OrgCode not in the PCT list'),
        ('unparseable_quarter', 'Quarter not YYYY-YY Qn'),
        ('unknown_return_type', 'ReturnType not Original/Resubmission'),
        ('late_resubmission', 'second or later Resubmission for a PCT and quarter'),
    ]) }}
{% endmacro %}

{#- Reasons for a line that is not a record (raw_rows): such a line is no header row. -#}
{% macro row_format_reasons() %}
    {{ return(['blank_line', 'bad_encoding', 'unterminated_quote', 'malformed_row']) }}
{% endmacro %}
