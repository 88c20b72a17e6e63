"""Secrets Manager secrets (never their values) and ACM certificates: rotation, expiry, resource policies."""

from __future__ import annotations

from typing import Any

from cloudsift.collect.aws.convert import Field, json_document, last_arn_part, struct, tag_list
from cloudsift.collect.aws.declare import AwsKind, Detail, Edge, Listing, aws_service


def usage_names(usages: Any) -> list[str]:
    """ACM's [{Name}] key usages as their names."""
    return [u["Name"] for u in usages or [] if isinstance(u, dict) and u.get("Name")]


SECRET = AwsKind(
    "aws_secretsmanager_secret",
    Listing("secretsmanager", "ListSecrets", "SecretList"),
    id="Name", arn="ARN", ctime="CreatedDate", mtime="LastChangedDate", atime="LastAccessedDate", node="secret/",
    tags=Field("Tags", tag_list),
    details=(Detail("GetResourcePolicy", "policy", {"SecretId": "ARN"}, key="ResourcePolicy",
                    missing=("ResourceNotFoundException",)),),
    props={
        "description": "Description", "rotation_enabled": "RotationEnabled", "rotation_lambda_arn": "RotationLambdaARN",
        "rotation_rules": Field("RotationRules", struct({
            "automatically_after_days": "AutomaticallyAfterDays", "duration": "Duration",
            "schedule_expression": "ScheduleExpression",
        })),
        "last_rotated_date": "LastRotatedDate", "last_changed_date": "LastChangedDate",
        "last_accessed_date": "LastAccessedDate", "deleted_date": "DeletedDate", "next_rotation_date": "NextRotationDate",
        "owning_service": "OwningService", "created_date": "CreatedDate", "primary_region": "PrimaryRegion",
        "policy": Field("policy", json_document),
    },
    edges=(Edge("aws_kms_key", "KmsKeyId", last_arn_part), Edge("aws_lambda_function", "RotationLambdaARN", last_arn_part)),
)  # fmt: skip

CERTIFICATE = AwsKind(
    "aws_acm_certificate",
    Listing("acm", "ListCertificates", "CertificateSummaryList"),
    id=Field("CertificateArn", last_arn_part), arn="CertificateArn", name="cert.DomainName", node="certificate/",
    ctime="cert.CreatedAt", mtime="cert.RenewalSummary.UpdatedAt", tags=Field("tags", tag_list),
    details=(
        Detail("DescribeCertificate", "cert", {"CertificateArn": "CertificateArn"}, key="Certificate",
               missing=("ResourceNotFoundException",)),
        Detail("ListTagsForCertificate", "tags", {"CertificateArn": "CertificateArn"}, key="Tags",
               missing=("ResourceNotFoundException",)),
    ),
    props={
        "expires": "cert.NotAfter", "subject_alternative_names": "cert.SubjectAlternativeNames", "serial": "cert.Serial",
        "subject": "cert.Subject", "issuer": "cert.Issuer", "issued_at": "cert.IssuedAt",
        "imported_at": "cert.ImportedAt", "status": "cert.Status", "revoked_at": "cert.RevokedAt",
        "revocation_reason": "cert.RevocationReason", "not_before": "cert.NotBefore", "not_after": "cert.NotAfter",
        "key_algorithm": "cert.KeyAlgorithm", "signature_algorithm": "cert.SignatureAlgorithm",
        "in_use_by": "cert.InUseBy", "failure_reason": "cert.FailureReason", "type": "cert.Type",
        "key_usages": Field("cert.KeyUsages", usage_names),
        "certificate_authority_arn": "cert.CertificateAuthorityArn", "renewal_eligibility": "cert.RenewalEligibility",
        "certificate_transparency_logging": "cert.Options.CertificateTransparencyLoggingPreference",
    },
)  # fmt: skip

aws_service("secretsmanager", SECRET)
aws_service("acm", CERTIFICATE)
