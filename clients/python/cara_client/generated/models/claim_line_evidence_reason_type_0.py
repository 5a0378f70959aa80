from enum import StrEnum


class ClaimLineEvidenceReasonType0(StrEnum):
    CANCELLED = "cancelled"
    CLAIM_TYPE_NOT_INCLUDED = "claim_type_not_included"
    DRG_EXCLUDED = "drg_excluded"
    OUTSIDE_WINDOW = "outside_window"
    PRINCIPAL_DIAGNOSIS_EXCLUDED = "principal_diagnosis_excluded"
    RECEIVED_AFTER_CUTOFF = "received_after_cutoff"
    SUPERSEDED = "superseded"

    def __str__(self) -> str:
        return str(self.value)
