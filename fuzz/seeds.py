#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (git-ignored) from
the repository's models and from ../shared (protocol tests, endpoint tests, AWS models). Read
only: nothing of ../shared is written into the repository's tracked files.

usage: seeds.py [--shared DIR] [TARGET...]   (default: every target)
"""

import argparse
import base64
import hashlib
import json
import os
import sys
import zlib

FUZZ = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(FUZZ)


def write(target, data):
    if isinstance(data, str):
        data = data.encode()
    out = os.path.join(FUZZ, "corpus", target)
    os.makedirs(out, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def files(directory, suffix=".json"):
    return sorted(os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(suffix))


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def without_prose(model):
    """A model without documentation, examples and endpoint test cases: what is left is what
    the generator works on, small enough for the fuzzer's input size limit."""
    skip = {"smithy.api#documentation", "smithy.api#examples", "smithy.rules#endpointTests"}
    shapes = model.get("shapes") if isinstance(model, dict) else None
    for shape in shapes.values() if isinstance(shapes, dict) else []:
        members = shape.get("members") if isinstance(shape, dict) else None
        holders = [shape] + (list(members.values()) if isinstance(members, dict) else [])
        for holder in holders:
            traits = holder.get("traits") if isinstance(holder, dict) else None
            for name in skip & set(traits if isinstance(traits, dict) else []):
                del traits[name]
    return model


def model_loader(shared, max_len=16384):
    paths = files(os.path.join(REPO, "model"))
    paths += files(os.path.join(REPO, "tests", "fixtures"))
    paths += files(os.path.join(REPO, "tests", "fixtures", "bad"))
    # The smallest AWS models: whole real services that still generate quickly.
    paths += sorted(files(os.path.join(shared, "aws-models")), key=os.path.getsize)[:5]
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        try:
            data = compact(without_prose(json.loads(data))).encode()
        except ValueError:
            pass  # a malformed fixture stays as it is
        if len(data) <= max_len:
            write("model_loader", data)


def response_seed(selector, code, headers, body):
    head = f"{code}\n" + "".join(f"{name}: {value}\n" for name, value in headers.items())
    return bytes([selector]) + (head + "\n").encode() + body.encode()


def protocol_responses(shared, file, target, operations):
    model = load(os.path.join(shared, "protocol-tests", file))
    index = 0
    for shape in model["shapes"].values():
        for case in shape.get("traits", {}).get("smithy.test#httpResponseTests", []):
            write(target, response_seed(index % operations, case["code"], case.get("headers", {}), case.get("body", "")))
            index += 1


ATTRIBUTION = {
    "metricAttribution": {
        "name": "a", "metricAttributionArn": "arn:aws:personalize:us-east-1:1:metric-attribution/a",
        "datasetGroupArn": "arn:aws:personalize:us-east-1:1:dataset-group/g",
        "metricsOutputConfig": {"s3DataDestination": {"path": "s3://b/p", "kmsKeyArn": "k"}, "roleArn": "r"},
        "status": "ACTIVE", "creationDateTime": 1515531081.123, "lastUpdatedDateTime": 1.5e9, "failureReason": "x",
    }
}


def aws_json_response(shared):
    protocol_responses(shared, "awsJson1_1.json", "aws_json_response", 2)
    json11 = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "req-1"}
    write("aws_json_response", response_seed(0, 200, json11, json.dumps(ATTRIBUTION)))
    write("aws_json_response", response_seed(1, 200, json11, '{"metricAttributionArn": "arn:a"}'))
    for selector, code in [(0, "InvalidInputException"), (0, "ResourceNotFoundException"),
                           (1, "LimitExceededException"), (1, "ResourceInUseException"),
                           (1, "ResourceAlreadyExistsException")]:
        body = json.dumps({"__type": f"com.amazonaws.personalize#{code}", "message": "m"})
        write("aws_json_response", response_seed(selector, 400, json11, body))
        headers = dict(json11, **{"X-Amzn-Errortype": f"{code}:http://internal.amazon.com/coral/"})
        write("aws_json_response", response_seed(selector, 400, headers, '{"Message": "m"}'))


def rest_json_response(shared):
    protocol_responses(shared, "restJson1.json", "rest_json_response", 1)
    rest = {"Content-Type": "application/json", "x-amzn-RequestId": "req-1"}
    body = {"metricName": "m", "metricArn": "arn:aws:iot:us-east-1:1:custommetric/m"}
    write("rest_json_response", response_seed(0, 200, rest, json.dumps(body)))
    for code, status in [("InternalFailureException", 500), ("InvalidRequestException", 400),
                         ("LimitExceededException", 410), ("ResourceAlreadyExistsException", 409),
                         ("ThrottlingException", 429)]:
        headers = dict(rest, **{"X-Amzn-Errortype": code})
        body = {"message": "m", "resourceId": "r", "resourceArn": "arn:x"}
        write("rest_json_response", response_seed(0, status, headers, json.dumps(body)))
    headers = dict(rest, **{"X-Date": "Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT",
                            "X-Epoch": "1576540098.5", "X-Iso": "2019-12-16T23:48:18Z", "X-B64": "dHJ1ZQ==",
                            "X-List": '"a,b", c, "d\\"e"', "X-Float": "-Infinity", "X-Big": "1e400"})
    write("rest_json_response", response_seed(0, 200, headers, "{}"))


SHARED_FILES = [
    ("[default]\nregion = us-east-1\noutput = json\n", "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n"),
    ("[profile dev]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\nduration_seconds = 900\n"
     "[profile base]\naws_access_key_id = a\naws_secret_access_key = b\n", "[base]\naws_session_token = t\n"),
    ("[default]\nservices = local\nendpoint_url = https://example.com:8443/p\n"
     "[services local]\niot =\n  endpoint_url = http://localhost:4566 # local\n  region = eu-west-1\n"
     "personalize =\n  endpoint_url = http://[::1]:1/\n", ""),
    ("[profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n"
     "[sso-session corp]\nsso_start_url = https://d.awsapps.com/start\nsso_region = us-east-1\n"
     "sso_registration_scopes = sso:account:access\n", ""),
    ("# comment\n; other\n[profile default]\nk = v ; note\n  continued\n\tmore\n[default]\nk = ignored\n"
     "[profile a@b.c+d/e:f%g]\nK = a#b;c\n[profile bad name!]\nk=1\n[ profile  x ]\n", "[d]\r\nk = 1\r\n[d]\nl=2\n"),
    ("[profile web]\nweb_identity_token_file = /t\nrole_arn = arn:r\nrole_session_name = s\n"
     "[profile proc]\ncredential_process = /bin/echo {}\n[profile src]\nrole_arn = r\ncredential_source = Environment\n", ""),
]


def shared_files(_shared):
    for config, credentials in SHARED_FILES:
        write("shared_files", config + "\0" + credentials)
        write("shared_files", config)


def rule_set_of(document):
    if "rules" in document and "parameters" in document:
        return document, []
    for shape in document.get("shapes", {}).values():
        traits = shape.get("traits", {})
        if "smithy.rules#endpointRuleSet" in traits:
            tests = traits.get("smithy.rules#endpointTests", {}).get("testCases", [])
            return traits["smithy.rules#endpointRuleSet"], tests
    return None, []


def rule_set_list():
    with open(os.path.join(FUZZ, "rule_sets.txt")) as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def endpoint_rules_parse(shared, max_len=8192):
    for name in rule_set_list():
        rules, tests = rule_set_of(load(os.path.join(shared, name)))
        if rules is None:
            continue
        params = tests[0].get("params", {}) if tests else {}
        data = compact({"ruleSet": rules, "params": params}).encode()
        if len(data) <= max_len:
            write("endpoint_rules_parse", data)


def endpoint_rules_resolve(shared, per_set=80):
    for index, name in enumerate(rule_set_list()):
        _, tests = rule_set_of(load(os.path.join(shared, name)))
        for case in tests[:per_set]:
            write("endpoint_rules_resolve", bytes([index]) + json.dumps(case.get("params", {})).encode())


# Operation indices of the aws-lite binary's table, in its order: iot create-custom-metric,
# personalize create-metric-attribution, personalize describe-metric-attribution.
CLI_INPUTS = [
    (0, {"metricName": "m", "metricType": "number", "displayName": "d", "tags": [{"Key": "k", "Value": "v"}],
         "clientRequestToken": "t"}),
    (0, {"metricName": "", "metricType": "bogus", "tags": [{"Vaule": "v"}, None], "extra": 1}),
    (1, {"name": "a", "datasetGroupArn": "arn:aws:personalize:us-east-1:1:dataset-group/g",
         "metrics": [{"eventType": "click", "metricName": "m", "expression": "SUM(DatasetType.INTERACTIONS.x)"}],
         "metricsOutputConfig": {"s3DataDestination": {"path": "s3://b", "kmsKeyArn": "k"}, "roleArn": "arn:r"}}),
    (1, {"name": None, "metrics": [{}], "metricsOutputConfig": {"s3DataDestination": {}}}),
    (2, {"metricAttributionArn": "arn:aws:personalize:us-east-1:1:metric-attribution/a"}),
    (2, {"metricAttributionArn": 5}),
]


def cli_input(_shared):
    for selector, value in CLI_INPUTS:
        text = json.dumps(value)
        write("cli_input", bytes([selector]) + text.encode())
        write("cli_input", bytes([selector]) + b"\xef\xbb\xbf" + text.encode())
        write("cli_input", bytes([selector]) + b"\xff\xfe" + text.encode("utf-16-le"))
        write("cli_input", bytes([selector]) + b"\xfe\xff" + text.encode("utf-16-be"))


def idl_loader(shared, max_len=16384):
    paths = []
    for root, _, names in os.walk(os.path.join(shared, "idl-tests")):
        paths += [os.path.join(root, n) for n in names if n.endswith(".smithy")]
    for root, _, names in os.walk(os.path.join(REPO, "tests", "fixtures")):
        paths += [os.path.join(root, n) for n in names if n.endswith(".smithy")]
    for path in sorted(paths):
        with open(path, "rb") as f:
            data = f.read()
        if len(data) <= max_len:
            write("idl_loader", data)


def es_header(name, type_byte, value=b""):
    name = name.encode()
    return bytes([len(name)]) + name + bytes([type_byte]) + value


def es_sized(text):
    data = text if isinstance(text, bytes) else text.encode()
    return len(data).to_bytes(2, "big") + data


def es_frame(headers, payload, total=None, headers_len=None):
    """An event stream frame of raw header bytes and a payload, with correct CRCs (and, when
    given, lengths that say otherwise)."""
    total = 16 + len(headers) + len(payload) if total is None else total
    headers_len = len(headers) if headers_len is None else headers_len
    prelude = total.to_bytes(4, "big") + headers_len.to_bytes(4, "big")
    prelude += zlib.crc32(prelude).to_bytes(4, "big")
    body = prelude + headers + payload
    return body + zlib.crc32(body).to_bytes(4, "big")


EVENT_HEADERS = es_header(":message-type", 7, es_sized("event")) + es_header(":event-type", 7, es_sized("Chunk"))
EVERY_TYPE = (es_header("t", 0) + es_header("f", 1) + es_header("b", 2, b"\xff") + es_header("s", 3, b"\x01\x02")
              + es_header("i", 4, b"\0\0\0\x07") + es_header("l", 5, (-5).to_bytes(8, "big", signed=True))
              + es_header("y", 6, es_sized(b"\0\x01")) + es_header("u", 7, es_sized("é"))
              + es_header("d", 8, (1730384114000).to_bytes(8, "big")) + es_header("id", 9, bytes(range(16))))


def event_stream_decode(shared):
    model = load(os.path.join(shared, "protocol-tests", "restJson1.json"))
    frames = []
    for shape in model["shapes"].values():
        for case in shape.get("traits", {}).get("smithy.test#eventStreamTests", []):
            frames += [base64.b64decode(e["bytes"]) for e in case.get("events", []) if "bytes" in e]
    json_event = es_frame(EVENT_HEADERS + es_header(":content-type", 7, es_sized("application/json")), b'{"a":1}')
    frames += [
        es_frame(b"", b""),
        es_frame(EVERY_TYPE, b"payload"),
        json_event,
        # A signed envelope: another frame as the payload.
        es_frame(es_header(":chunk-signature", 6, es_sized(bytes(32))) + es_header(":date", 8, bytes(8)), json_event),
        es_frame(b"", b"", total=0xFFFFFFFF),  # a hostile length
        es_frame(es_header("x", 12), b""),  # an unknown type
        json_event[:-3],  # cut short
    ]
    for index, frame in enumerate(frames):
        write("event_stream_decode", bytes([index % 8]) + frame)
    # Streams of several frames, whole and in small chunks.
    stream = b"".join(frames[:6])
    write("event_stream_decode", b"\0" + stream)
    write("event_stream_decode", b"\x03" + stream)


TARGETS = {
    "model_loader": model_loader,
    "idl_loader": idl_loader,
    "aws_json_response": aws_json_response,
    "rest_json_response": rest_json_response,
    "shared_files": shared_files,
    "endpoint_rules_parse": endpoint_rules_parse,
    "endpoint_rules_resolve": endpoint_rules_resolve,
    "cli_input": cli_input,
    "event_stream_decode": event_stream_decode,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=os.environ.get("AWS_LITE_SHARED", os.path.join(REPO, "..", "shared")))
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=", ".join(TARGETS))
    args = parser.parse_args()
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        sys.exit(f"unknown target(s) {', '.join(unknown)}; the targets are {', '.join(TARGETS)}")
    if not os.path.isdir(args.shared):
        sys.exit(f"{args.shared}: no shared data (set --shared or AWS_LITE_SHARED)")
    for target in args.targets or TARGETS:
        TARGETS[target](args.shared)
        count = len(os.listdir(os.path.join(FUZZ, "corpus", target)))
        print(f"{target}: {count} inputs in fuzz/corpus/{target}")


if __name__ == "__main__":
    main()
