"""The data model: kinds, their base kinds and typed properties."""

from __future__ import annotations

from cloudsift.model import aws as _aws  # noqa: F401  (registers the AWS kinds)
from cloudsift.model import (  # noqa: F401  (one module per AWS service)
    aws_accessanalyzer,
    aws_apigateway,
    aws_autoscaling,
    aws_cloudformation,
    aws_cloudfront,
    aws_cloudtrail,
    aws_cloudwatch,
    aws_config,
    aws_ec2,
    aws_ecs,
    aws_elasticache,
    aws_iam,
    aws_opensearch,
    aws_rds,
    aws_redshift,
    aws_s3,
    aws_sagemaker,
    aws_securityhub,
    aws_services,
    aws_ssm,
    aws_storage,
)
from cloudsift.model.base import Kind, Model, model_from_classes
from cloudsift.model.core import KIND_CLASSES
from cloudsift.model.types import ListOf, Prop, PropType, Scalar, StringMap, Struct

MODEL: Model = model_from_classes(KIND_CLASSES)

__all__ = ["MODEL", "Kind", "ListOf", "Model", "Prop", "PropType", "Scalar", "StringMap", "Struct"]
