"""The template, the handlers and the OpenAPI document agree; every function is least-privileged."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from local import openapi
from local.harness import Harness
from local.template import Route, load_template, routes
from tests.support.http import ROOT

TEMPLATE = load_template(ROOT / "template.yaml")
ROUTES = routes(TEMPLATE)
HARNESS = Harness(ROOT / "template.yaml")
READ_ACTIONS = {
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "secretsmanager:GetSecretValue",
    "s3:GetObject",  # GET /account/export/{id} signs download links with it
}


def _functions() -> dict[str, dict[str, Any]]:
    return {
        name: resource["Properties"]
        for name, resource in TEMPLATE["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def _actions(properties: dict[str, Any]) -> set[str]:
    return {
        action
        for policy in properties.get("Policies", [])
        for statement in policy["Statement"]
        for action in statement["Action"]
    }


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.route_key)
def test_every_route_has_a_handler_that_imports_and_serves_it(route: Route) -> None:
    module = HARNESS.module(route)
    assert callable(getattr(module, route.handler.rpartition(".")[2]))
    served = openapi.resolver_schema(module.app)["paths"]
    assert list(served) == [route.path]
    assert list(served[route.path]) == [route.method.lower()]


def test_template_routes_and_openapi_document_list_the_same_operations() -> None:
    document = json.loads((ROOT / "docs/openapi.json").read_text())
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert documented == {(route.method, route.path) for route in ROUTES}


def test_committed_openapi_document_is_current() -> None:
    assert (ROOT / "docs/openapi.json").read_text() == openapi.render(openapi.build())


def test_one_function_per_route() -> None:
    assert len({route.logical_id for route in ROUTES}) == len(ROUTES)


# The written-down exceptions: GET routes that must write, and why.
WRITING_READS = {
    "GET /p/{token}": "records the page view on the debts' timelines and counts unknown links per address",
    "GET /workspace/analytics/summary": "the first read after a day is over writes that day's closing state "
    "(a conditional Put of figures, no one's data), so later reads stay one Query (analytics/closings.py)",
}


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.method == "GET" and r.route_key not in WRITING_READS], ids=lambda r: r.route_key
)
def test_read_endpoints_may_only_read(route: Route) -> None:
    assert _actions(_functions()[route.logical_id]) <= READ_ACTIONS


@pytest.mark.parametrize("name", sorted(_functions()))
def test_no_function_may_scan_or_use_wildcards(name: str) -> None:
    actions = _actions(_functions()[name])
    assert not any(action.endswith("*") or action == "dynamodb:Scan" for action in actions)


@pytest.mark.parametrize("name", sorted(_functions()))
def test_every_function_logs_to_a_group_with_retention(name: str) -> None:
    group = _functions()[name]["LoggingConfig"]["LogGroup"]["Ref"]
    assert TEMPLATE["Resources"][group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_one_runtime_everywhere() -> None:
    globals_ = TEMPLATE["Globals"]["Function"]
    assert (globals_["Runtime"], globals_["Architectures"]) == ("python3.13", ["arm64"])
    assert all("Runtime" not in p and "Architectures" not in p for p in _functions().values())


def test_table_keeps_backups_and_expires_items() -> None:
    table = TEMPLATE["Resources"]["Table"]["Properties"]
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}


IMPORT_ALL_AND_LIST_MODULES = """
import importlib.util, json, sys
sys.path.insert(0, sys.argv[1])
for number, path in enumerate(sys.argv[2:]):
    spec = importlib.util.spec_from_file_location(f"handler{number}", path)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
print(json.dumps(sorted(sys.modules)))
"""


# The functions that call Stripe; every other function must not pay for importing it (~120 ms).
STRIPE_CALLERS = {
    "POST /workspace/stripe/connect",
    "POST /p/{token}/pay",
    "POST /p/{token}/plan/automatic",  # a plan's payment method saved for automatic collection, or detached
    "POST /webhooks/stripe",
}


def test_only_the_functions_that_call_stripe_import_it() -> None:
    others = [route for route in ROUTES if route.route_key not in STRIPE_CALLERS]
    paths = [str(ROOT / route.code_uri / f"{route.handler.split('.')[0]}.py") for route in others]
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL_AND_LIST_MODULES, str(ROOT / "layers/common"), *paths],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = json.loads(result.stdout)
    assert {"collectra.auth.accounts", "collectra.debtors.page"} <= set(modules)  # the handlers really were imported
    assert not [name for name in modules if name == "stripe" or name.startswith("stripe.")]
    assert {route.route_key for route in ROUTES} >= STRIPE_CALLERS


def test_the_export_bucket_is_encrypted_private_tls_only_and_expires_archives() -> None:
    resources = TEMPLATE["Resources"]
    bucket = resources["ExportBucket"]["Properties"]
    [rule] = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("aws:kms", "AES256")
    assert all(bucket["PublicAccessBlockConfiguration"].values()) and len(bucket["PublicAccessBlockConfiguration"]) == 4
    [lifecycle] = bucket["LifecycleConfiguration"]["Rules"]
    assert lifecycle["ExpirationInDays"] == {"Ref": "ExportRetentionDays"}
    assert lifecycle["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] >= 1
    [deny] = resources["ExportBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert (deny["Effect"], deny["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport": "false"}})
    # The records' TTL follows the same parameter as the lifecycle rule.
    for name in ("RequestExportFunction", "ExportWorkerFunction"):
        variables = resources[name]["Properties"]["Environment"]["Variables"]
        assert variables["EXPORT_RETENTION_DAYS"] == {"Ref": "ExportRetentionDays"}
    worker = resources["ExportWorkerFunction"]["Properties"]
    queue = resources["ExportQueue"]["Properties"]
    assert queue["VisibilityTimeout"] > worker["Timeout"] == 900


# Throttling (docs/throttling.md): a flood on one route must not answer the webhooks or the public pages 429.
API = TEMPLATE["Resources"]["Api"]["Properties"]
STAGE_DEFAULT = API["DefaultRouteSettings"]
ROUTE_BUDGETS = API.get("RouteSettings", {})
WEBHOOKS = [route.route_key for route in ROUTES if route.path.startswith("/webhooks/")]


def _public_routes() -> list[str]:
    """The template's routes anyone can call without signing in (access.ROUTES names no permission), webhooks aside."""
    from collectra import access

    return [
        route.route_key
        for route in ROUTES
        if access.ROUTES.get(route.route_key, "unknown") is None and route.route_key not in WEBHOOKS
    ]


def test_every_route_budget_names_a_route_of_the_api() -> None:
    # API Gateway refuses the stage when a key names no route ("Unable to find Route by key").
    assert set(ROUTE_BUDGETS) <= {route.route_key for route in ROUTES}


@pytest.mark.parametrize("route_key", WEBHOOKS)
def test_every_webhook_has_a_budget_of_its_own(route_key: str) -> None:
    budget = ROUTE_BUDGETS[route_key]
    assert budget["ThrottlingRateLimit"] > 0 and budget["ThrottlingBurstLimit"] >= budget["ThrottlingRateLimit"]


def test_stripe_and_brevo_webhooks_are_both_budgeted() -> None:
    assert {"POST /webhooks/stripe", "POST /webhooks/brevo"} <= set(WEBHOOKS)


@pytest.mark.parametrize("route_key", _public_routes())
def test_every_public_route_is_throttled_tighter_than_the_default(route_key: str) -> None:
    budget = ROUTE_BUDGETS[route_key]
    assert budget["ThrottlingRateLimit"] < STAGE_DEFAULT["ThrottlingRateLimit"]
    assert budget["ThrottlingBurstLimit"] < STAGE_DEFAULT["ThrottlingBurstLimit"]


def test_the_public_auth_and_debtor_page_routes_are_among_the_tightened() -> None:
    tightened = set(_public_routes())
    auth = {"POST /auth/login", "POST /auth/signup", "POST /auth/password/forgot", "POST /auth/password/reset"}
    pages = {route.route_key for route in ROUTES if route.path.startswith(("/p/{token}", "/u/{token}"))}
    assert auth | {"POST /auth/verify-email"} | pages <= tightened
    assert len(pages) == 7


@pytest.mark.parametrize("route_key", sorted(ROUTE_BUDGETS))
def test_no_route_exceeds_the_stage_default(route_key: str) -> None:
    budget = ROUTE_BUDGETS[route_key]
    assert budget["ThrottlingRateLimit"] <= STAGE_DEFAULT["ThrottlingRateLimit"]
    assert budget["ThrottlingBurstLimit"] <= STAGE_DEFAULT["ThrottlingBurstLimit"]
    assert set(budget) == {"ThrottlingRateLimit", "ThrottlingBurstLimit"}


# ---------------------------------------------------------------- CloudFront (docs/deploy.md)
RESOURCES = TEMPLATE["Resources"]
DISTRIBUTION = RESOURCES["Distribution"]["Properties"]["DistributionConfig"]
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
# Managed: every viewer header but Host, all CloudFront headers (CloudFront-Viewer-Address among them), all
# cookies, all query strings. Host must not be forwarded: API Gateway answers only its own domain.
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
VIEWER_ADDRESS_FUNCTIONS = {
    "LoginFunction",
    "AcceptInvitationFunction",
    "DebtorPageFunction",
    "DebtorAnswerFunction",
    "DebtorPayFunction",
    "DebtorPlanFunction",
    "DebtorPlanAutomaticFunction",
}


def _origin(origin_id: str) -> dict[str, Any]:
    origins: list[dict[str, Any]] = DISTRIBUTION["Origins"]
    [origin] = [origin for origin in origins if origin["Id"] == origin_id]
    return origin


def _app_behaviours() -> list[dict[str, Any]]:
    return [b for b in DISTRIBUTION["CacheBehaviors"] if b["TargetOriginId"] == "app"]


def test_the_app_bucket_is_private_encrypted_versioned_and_tls_only() -> None:
    bucket = RESOURCES["AppBucket"]["Properties"]
    [rule] = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("aws:kms", "AES256")
    block = bucket["PublicAccessBlockConfiguration"]
    assert len(block) == 4 and all(value is True for value in block.values())
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    policy = RESOURCES["AppBucketPolicy"]["Properties"]
    assert policy["Bucket"] == {"Ref": "AppBucket"}
    statements = policy["PolicyDocument"]["Statement"]
    [allow] = [s for s in statements if s["Effect"] == "Allow"]
    [deny] = [s for s in statements if s["Effect"] == "Deny"]
    # Only this distribution, through its origin access control, and only to read.
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    source = allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source.endswith(":distribution/${Distribution}")
    assert (deny["Principal"], deny["Action"], deny["Condition"]) == (
        "*",
        "s3:*",
        {"Bool": {"aws:SecureTransport": "false"}},
    )
    assert len(statements) == 2


def test_cloudfront_signs_every_request_to_the_bucket() -> None:
    config = RESOURCES["AppOriginAccessControl"]["Properties"]["OriginAccessControlConfig"]
    assert (config["OriginAccessControlOriginType"], config["SigningBehavior"], config["SigningProtocol"]) == (
        "s3",
        "always",
        "sigv4",
    )
    app = _origin("app")
    assert app["OriginAccessControlId"] == {"Fn::GetAtt": ["AppOriginAccessControl", "Id"]}
    assert app["S3OriginConfig"] == {"OriginAccessIdentity": ""}  # no legacy OAI


def test_the_api_behaviour_is_not_cached_and_forwards_cookies_queries_and_the_viewer_address() -> None:
    default = DISTRIBUTION["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == "api"
    assert default["CachePolicyId"] == CACHING_DISABLED
    assert default["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
    assert set(default["AllowedMethods"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    assert default["ViewerProtocolPolicy"] == "https-only"
    assert "FunctionAssociations" not in default and "ForwardedValues" not in default
    api = _origin("api")
    assert api["DomainName"] == {"Fn::Sub": "${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}"}
    assert api["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"


def test_cloudfront_tells_the_api_the_stack_secret_and_only_the_viewer_address_functions_can_read_it() -> None:
    [header] = _origin("api")["OriginCustomHeaders"]
    assert header == {
        "HeaderName": "X-Origin-Verify",
        "HeaderValue": {"Fn::Sub": "{{resolve:secretsmanager:${OriginVerifySecret}:SecretString}}"},
    }
    generated = RESOURCES["OriginVerifySecret"]["Properties"]["GenerateSecretString"]
    assert generated["PasswordLength"] >= 32 and generated["ExcludePunctuation"] is True
    readers = set()
    for name, properties in _functions().items():
        variables = (properties.get("Environment") or {}).get("Variables") or {}
        granted = [
            resource
            for policy in properties.get("Policies", [])
            for statement in policy["Statement"]
            if "secretsmanager:GetSecretValue" in statement["Action"]
            for resource in (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
        ]
        if {"Ref": "OriginVerifySecret"} in granted or "ORIGIN_VERIFY_SECRET_NAME" in variables:
            assert variables["ORIGIN_VERIFY_SECRET_NAME"] == {"Ref": "OriginVerifySecret"}, name
            assert {"Ref": "OriginVerifySecret"} in granted, name
            readers.add(name)
    assert readers == VIEWER_ADDRESS_FUNCTIONS
    assert "ORIGIN_VERIFY_SECRET_NAME" not in TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]


def test_the_functions_that_count_by_address_are_the_ones_given_the_secret() -> None:
    callers = {
        route.logical_id
        for route in ROUTES
        if "source_ip(app)" in (ROOT / route.code_uri / f"{route.handler.split('.')[0]}.py").read_text()
    }
    assert callers == VIEWER_ADDRESS_FUNCTIONS


def test_the_app_behaviours_serve_the_bucket_cached_with_the_rewrite_and_security_headers() -> None:
    behaviours = _app_behaviours()
    assert sorted(b["PathPattern"] for b in behaviours) == ["/app", "/app/*"]
    assert len(DISTRIBUTION["CacheBehaviors"]) == 2
    for behaviour in behaviours:
        assert behaviour["CachePolicyId"] == CACHING_OPTIMIZED
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "AppResponseHeadersPolicy"}
        assert set(behaviour["AllowedMethods"]) == {"GET", "HEAD"}
        assert behaviour["ViewerProtocolPolicy"] in ("redirect-to-https", "https-only")
        assert behaviour["FunctionAssociations"] == [
            {
                "EventType": "viewer-request",
                "FunctionARN": {"Fn::GetAtt": ["AppRewriteFunction", "FunctionMetadata.FunctionARN"]},
            }
        ]


def test_the_rewrite_function_is_attached_to_the_app_behaviours_only() -> None:
    attached = [
        behaviour.get("PathPattern", "default")
        for behaviour in [DISTRIBUTION["DefaultCacheBehavior"], *DISTRIBUTION["CacheBehaviors"]]
        if behaviour.get("FunctionAssociations")
    ]
    assert sorted(attached) == ["/app", "/app/*"]
    config = RESOURCES["AppRewriteFunction"]["Properties"]["FunctionConfig"]
    assert config["Runtime"] == "cloudfront-js-2.0"


def _security_headers() -> dict[str, Any]:
    policy = RESOURCES["AppResponseHeadersPolicy"]
    assert policy["Type"] == "AWS::CloudFront::ResponseHeadersPolicy"
    headers: dict[str, Any] = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    return headers


def test_the_apps_content_security_policy_allows_no_inline_script_nor_framing() -> None:
    csp = _security_headers()["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    assert directives["connect-src"] == ["'self'"]  # the API is on the same origin


def test_the_app_gets_hsts_deny_nosniff_and_a_strict_referrer_all_overriding() -> None:
    headers = _security_headers()
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 2 * 365 * 24 * 3600
    assert headers["StrictTransportSecurity"]["IncludeSubdomains"] is True
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    assert set(headers) == {
        "ContentSecurityPolicy",
        "StrictTransportSecurity",
        "FrameOptions",
        "ContentTypeOptions",
        "ReferrerPolicy",
    }
    assert all(header["Override"] is True for header in headers.values())


def test_a_custom_domain_is_optional_and_needs_its_certificate() -> None:
    parameters = TEMPLATE["Parameters"]
    assert parameters["AppDomainName"]["Default"] == parameters["AppCertificateArn"]["Default"] == ""
    assert DISTRIBUTION["Aliases"] == {"Fn::If": ["HasAppDomain", [{"Ref": "AppDomainName"}], {"Ref": "AWS::NoValue"}]}
    certificate, default = DISTRIBUTION["ViewerCertificate"]["Fn::If"][1:]
    assert certificate["AcmCertificateArn"] == {"Ref": "AppCertificateArn"}
    assert certificate["SslSupportMethod"] == "sni-only"
    assert default == {"CloudFrontDefaultCertificate": True}
    rule = TEMPLATE["Rules"]["CustomDomainHasCertificate"]
    assert rule["Assertions"][0]["Assert"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "AppCertificateArn"}, ""]}]}


def test_the_stack_outputs_what_make_deploy_reads() -> None:
    assert {"DistributionId", "DistributionDomainName", "AppBucketName", "AppUrl"} <= set(TEMPLATE["Outputs"])
