"""Contains all the data models used in inputs/outputs"""

from .acceptance_out import AcceptanceOut
from .alignment_row_out import AlignmentRowOut
from .alignment_row_out_status_on_as_of import AlignmentRowOutStatusOnAsOf
from .amendment_create import AmendmentCreate
from .analysis_out import AnalysisOut
from .analysis_out_status import AnalysisOutStatus
from .analysis_request import AnalysisRequest
from .analysis_summary import AnalysisSummary
from .analysis_summary_risk_score_sources import AnalysisSummaryRiskScoreSources
from .analysis_summary_winsorisation import AnalysisSummaryWinsorisation
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_info import ApiKeyInfo
from .arrangement_create import ArrangementCreate
from .arrangement_out import ArrangementOut
from .arrangement_out_status import ArrangementOutStatus
from .arrangement_version_out import ArrangementVersionOut
from .arrangement_version_out_kind import ArrangementVersionOutKind
from .audit_event_out import AuditEventOut
from .audit_event_out_details import AuditEventOutDetails
from .audit_verification_out import AuditVerificationOut
from .baseline_period import BaselinePeriod
from .cclf_decision_out import CclfDecisionOut
from .cclf_delivery_report import CclfDeliveryReport
from .chain_verification_out import ChainVerificationOut
from .claim_line_evidence import ClaimLineEvidence
from .claim_line_evidence_adjustment import ClaimLineEvidenceAdjustment
from .claim_line_evidence_reason_type_0 import ClaimLineEvidenceReasonType0
from .claim_type import ClaimType
from .claims_completion import ClaimsCompletion
from .code_warning import CodeWarning
from .completion_at_lag import CompletionAtLag
from .decline_request import DeclineRequest
from .dispute_create import DisputeCreate
from .dispute_out import DisputeOut
from .dispute_out_party import DisputeOutParty
from .dispute_out_status import DisputeOutStatus
from .dispute_resolution import DisputeResolution
from .dispute_resolution_outcome import DisputeResolutionOutcome
from .episode_definition import EpisodeDefinition
from .episode_definition_approach import EpisodeDefinitionApproach
from .episode_definition_risk_adjustment import EpisodeDefinitionRiskAdjustment
from .episode_evidence import EpisodeEvidence
from .episode_out import EpisodeOut
from .episode_out_exclusion_reason_type_0 import EpisodeOutExclusionReasonType0
from .episode_out_status import EpisodeOutStatus
from .episode_ref import EpisodeRef
from .evidence_episode import EvidenceEpisode
from .evidence_episode_status import EvidenceEpisodeStatus
from .fhir_import_report import FhirImportReport
from .field_error import FieldError
from .finalize_request import FinalizeRequest
from .finding_out import FindingOut
from .finding_out_resource_type import FindingOutResourceType
from .healthz_response_healthz import HealthzResponseHealthz
from .inpatient_stay_anchor_spec import InpatientStayAnchorSpec
from .inpatient_stay_anchor_spec_attribution import InpatientStayAnchorSpecAttribution
from .interval import Interval
from .list_arrangement_settlements_status_type_0 import ListArrangementSettlementsStatusType0
from .list_arrangements_status_type_0 import ListArrangementsStatusType0
from .list_settlements_status_type_0 import ListSettlementsStatusType0
from .measure_report import MeasureReport
from .measure_score import MeasureScore
from .open_episode_completion import OpenEpisodeCompletion
from .org_kind import OrgKind
from .organization import Organization
from .organization_create import OrganizationCreate
from .organization_create_kind import OrganizationCreateKind
from .organization_kind import OrganizationKind
from .organization_update import OrganizationUpdate
from .overrides import Overrides
from .page_alignment_row_out import PageAlignmentRowOut
from .page_analysis_out import PageAnalysisOut
from .page_api_key_info import PageApiKeyInfo
from .page_arrangement_out import PageArrangementOut
from .page_audit_event_out import PageAuditEventOut
from .page_cclf_decision_out import PageCclfDecisionOut
from .page_episode_definition import PageEpisodeDefinition
from .page_episode_out import PageEpisodeOut
from .page_organization import PageOrganization
from .page_quality_report_out import PageQualityReportOut
from .page_roster_entry_out import PageRosterEntryOut
from .page_settlement_line_out import PageSettlementLineOut
from .page_settlement_out import PageSettlementOut
from .page_upload_report import PageUploadReport
from .page_webhook_delivery import PageWebhookDelivery
from .page_webhook_endpoint import PageWebhookEndpoint
from .period import Period
from .problem_details import ProblemDetails
from .proposed_terms import ProposedTerms
from .proposed_terms_quality_reporter import ProposedTermsQualityReporter
from .proposed_terms_target_prices import ProposedTermsTargetPrices
from .published_episode_definition import PublishedEpisodeDefinition
from .published_episode_definition_approach import PublishedEpisodeDefinitionApproach
from .published_episode_definition_risk_adjustment import PublishedEpisodeDefinitionRiskAdjustment
from .quality_measure_choice import QualityMeasureChoice
from .quality_measure_spec import QualityMeasureSpec
from .quality_report_in import QualityReportIn
from .quality_report_out import QualityReportOut
from .recommendation import Recommendation
from .recommendation_entry import RecommendationEntry
from .renewal_create import RenewalCreate
from .report_row import ReportRow
from .report_row_level import ReportRowLevel
from .review_request import ReviewRequest
from .risk_factor_spec import RiskFactorSpec
from .role import Role
from .roster_entry_out import RosterEntryOut
from .roster_npi_add import RosterNpiAdd
from .roster_npi_end import RosterNpiEnd
from .settlement_line_out import SettlementLineOut
from .settlement_out import SettlementOut
from .settlement_out_acceptance import SettlementOutAcceptance
from .settlement_out_cap_bound_type_0 import SettlementOutCapBoundType0
from .settlement_out_definition import SettlementOutDefinition
from .settlement_out_inputs import SettlementOutInputs
from .settlement_out_sources_type_0 import SettlementOutSourcesType0
from .settlement_out_status import SettlementOutStatus
from .settlement_projection import SettlementProjection
from .settlement_projection_flags_item import SettlementProjectionFlagsItem
from .settlement_recomputation import SettlementRecomputation
from .settlement_request import SettlementRequest
from .signature import Signature
from .signature_create import SignatureCreate
from .target_price_from_analysis import TargetPriceFromAnalysis
from .target_price_source import TargetPriceSource
from .terminate_request import TerminateRequest
from .terms import Terms
from .terms_change import TermsChange
from .terms_days import TermsDays
from .terms_quality_reporter import TermsQualityReporter
from .terms_target_prices import TermsTargetPrices
from .terms_version_figures import TermsVersionFigures
from .trigger_spec import TriggerSpec
from .upload_alignment_content_encoding import UploadAlignmentContentEncoding
from .upload_alignment_on_error import UploadAlignmentOnError
from .upload_cclf_delivery_on_error import UploadCclfDeliveryOnError
from .upload_claims_content_encoding import UploadClaimsContentEncoding
from .upload_claims_on_error import UploadClaimsOnError
from .upload_fhir_export_on_error import UploadFhirExportOnError
from .upload_report import UploadReport
from .upload_report_kind import UploadReportKind
from .upload_report_on_error import UploadReportOnError
from .upload_report_status import UploadReportStatus
from .webhook_attempt import WebhookAttempt
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_status import WebhookDeliveryStatus
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_create import WebhookEndpointCreate
from .webhook_endpoint_with_secret import WebhookEndpointWithSecret
from .winsorisation_spec import WinsorisationSpec

__all__ = (
    "AcceptanceOut",
    "AlignmentRowOut",
    "AlignmentRowOutStatusOnAsOf",
    "AmendmentCreate",
    "AnalysisOut",
    "AnalysisOutStatus",
    "AnalysisRequest",
    "AnalysisSummary",
    "AnalysisSummaryRiskScoreSources",
    "AnalysisSummaryWinsorisation",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyInfo",
    "ArrangementCreate",
    "ArrangementOut",
    "ArrangementOutStatus",
    "ArrangementVersionOut",
    "ArrangementVersionOutKind",
    "AuditEventOut",
    "AuditEventOutDetails",
    "AuditVerificationOut",
    "BaselinePeriod",
    "CclfDecisionOut",
    "CclfDeliveryReport",
    "ChainVerificationOut",
    "ClaimLineEvidence",
    "ClaimLineEvidenceAdjustment",
    "ClaimLineEvidenceReasonType0",
    "ClaimsCompletion",
    "ClaimType",
    "CodeWarning",
    "CompletionAtLag",
    "DeclineRequest",
    "DisputeCreate",
    "DisputeOut",
    "DisputeOutParty",
    "DisputeOutStatus",
    "DisputeResolution",
    "DisputeResolutionOutcome",
    "EpisodeDefinition",
    "EpisodeDefinitionApproach",
    "EpisodeDefinitionRiskAdjustment",
    "EpisodeEvidence",
    "EpisodeOut",
    "EpisodeOutExclusionReasonType0",
    "EpisodeOutStatus",
    "EpisodeRef",
    "EvidenceEpisode",
    "EvidenceEpisodeStatus",
    "FhirImportReport",
    "FieldError",
    "FinalizeRequest",
    "FindingOut",
    "FindingOutResourceType",
    "HealthzResponseHealthz",
    "InpatientStayAnchorSpec",
    "InpatientStayAnchorSpecAttribution",
    "Interval",
    "ListArrangementSettlementsStatusType0",
    "ListArrangementsStatusType0",
    "ListSettlementsStatusType0",
    "MeasureReport",
    "MeasureScore",
    "OpenEpisodeCompletion",
    "Organization",
    "OrganizationCreate",
    "OrganizationCreateKind",
    "OrganizationKind",
    "OrganizationUpdate",
    "OrgKind",
    "Overrides",
    "PageAlignmentRowOut",
    "PageAnalysisOut",
    "PageApiKeyInfo",
    "PageArrangementOut",
    "PageAuditEventOut",
    "PageCclfDecisionOut",
    "PageEpisodeDefinition",
    "PageEpisodeOut",
    "PageOrganization",
    "PageQualityReportOut",
    "PageRosterEntryOut",
    "PageSettlementLineOut",
    "PageSettlementOut",
    "PageUploadReport",
    "PageWebhookDelivery",
    "PageWebhookEndpoint",
    "Period",
    "ProblemDetails",
    "ProposedTerms",
    "ProposedTermsQualityReporter",
    "ProposedTermsTargetPrices",
    "PublishedEpisodeDefinition",
    "PublishedEpisodeDefinitionApproach",
    "PublishedEpisodeDefinitionRiskAdjustment",
    "QualityMeasureChoice",
    "QualityMeasureSpec",
    "QualityReportIn",
    "QualityReportOut",
    "Recommendation",
    "RecommendationEntry",
    "RenewalCreate",
    "ReportRow",
    "ReportRowLevel",
    "ReviewRequest",
    "RiskFactorSpec",
    "Role",
    "RosterEntryOut",
    "RosterNpiAdd",
    "RosterNpiEnd",
    "SettlementLineOut",
    "SettlementOut",
    "SettlementOutAcceptance",
    "SettlementOutCapBoundType0",
    "SettlementOutDefinition",
    "SettlementOutInputs",
    "SettlementOutSourcesType0",
    "SettlementOutStatus",
    "SettlementProjection",
    "SettlementProjectionFlagsItem",
    "SettlementRecomputation",
    "SettlementRequest",
    "Signature",
    "SignatureCreate",
    "TargetPriceFromAnalysis",
    "TargetPriceSource",
    "TerminateRequest",
    "Terms",
    "TermsChange",
    "TermsDays",
    "TermsQualityReporter",
    "TermsTargetPrices",
    "TermsVersionFigures",
    "TriggerSpec",
    "UploadAlignmentContentEncoding",
    "UploadAlignmentOnError",
    "UploadCclfDeliveryOnError",
    "UploadClaimsContentEncoding",
    "UploadClaimsOnError",
    "UploadFhirExportOnError",
    "UploadReport",
    "UploadReportKind",
    "UploadReportOnError",
    "UploadReportStatus",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookDeliveryStatus",
    "WebhookEndpoint",
    "WebhookEndpointCreate",
    "WebhookEndpointWithSecret",
    "WinsorisationSpec",
)
