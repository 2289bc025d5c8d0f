"""Runs the order service's two handlers (stacks/assets/order_*.py) against
in-memory fakes of DynamoDB and SQS, and exits non-zero on the first
behaviour that is wrong. Run by TestOrderServiceHandlers."""
import importlib.util
import json
import os
import sys
import types
from decimal import Decimal

ASSETS = os.path.join(os.path.dirname(__file__), "..", "assets")


class ConditionalCheckFailed(Exception):
    pass


class FakeTable:
    def __init__(self):
        self.items = {}

    def put_item(self, Item):
        for value in Item.values():
            assert not isinstance(value, float), "DynamoDB refuses floats: use Decimal"
        self.items[Item["orderId"]] = dict(Item)

    def get_item(self, Key):
        item = self.items.get(Key["orderId"])
        return {"Item": dict(item)} if item else {}

    def update_item(self, Key, UpdateExpression, ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues):
        if Key["orderId"] not in self.items:
            raise ConditionalCheckFailed(Key["orderId"])
        self.items[Key["orderId"]][ExpressionAttributeNames["#status"]] = ExpressionAttributeValues[":fulfilled"]


class FakeSQS:
    def __init__(self):
        self.sent = []

    def send_message(self, QueueUrl, MessageBody):
        self.sent.append((QueueUrl, json.loads(MessageBody)))


TABLE, SQS = FakeTable(), FakeSQS()
boto3 = types.ModuleType("boto3")
boto3.resource = lambda name: types.SimpleNamespace(Table=lambda table_name: TABLE)
boto3.client = lambda name: SQS
sys.modules["boto3"] = boto3
os.environ.update(ORDERS_TABLE="Orders", FULFILMENT_QUEUE_URL="https://sqs.example/queue")


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ASSETS, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expect(condition, what):
    if not condition:
        sys.exit("order service: " + what)


intake, fulfilment = load("order_intake"), load("order_fulfilment")

# POST /orders stores the order and queues its id.
answer = intake.handler({"routeKey": "POST /orders", "body": json.dumps({"customerId": "c-1", "items": [{"sku": "tea", "price": 2.5}]})}, None)
expect(answer["statusCode"] == 201, "POST /orders answered %s, want 201" % answer["statusCode"])
order = json.loads(answer["body"])
expect(order["status"] == "accepted" and order["items"][0]["price"] == 2.5, "POST /orders answered %s" % order)
expect(isinstance(TABLE.items[order["orderId"]]["items"][0]["price"], Decimal), "price stored as a float")
expect(SQS.sent == [("https://sqs.example/queue", {"orderId": order["orderId"]})], "queued %s" % SQS.sent)

# Bad bodies are refused, nothing stored.
for body in ["not json", json.dumps({"items": []}), json.dumps(["a"]), json.dumps({"customerId": "c", "items": []})]:
    answer = intake.handler({"routeKey": "POST /orders", "body": body}, None)
    expect(answer["statusCode"] == 400, "body %r answered %s, want 400" % (body, answer["statusCode"]))
expect(len(TABLE.items) == 1, "a refused order was stored")

# A base64 body (binary content types) is decoded.
import base64
answer = intake.handler({"routeKey": "POST /orders", "isBase64Encoded": True,
                         "body": base64.b64encode(json.dumps({"customerId": "c-2", "items": ["x"]}).encode()).decode()}, None)
expect(answer["statusCode"] == 201, "base64 body answered %s" % answer["statusCode"])

# GET shows an order, or 404.
answer = intake.handler({"routeKey": "GET /orders/{orderId}", "pathParameters": {"orderId": order["orderId"]}}, None)
expect(answer["statusCode"] == 200 and json.loads(answer["body"])["customerId"] == "c-1", "GET answered %s" % answer)
answer = intake.handler({"routeKey": "GET /orders/{orderId}", "pathParameters": {"orderId": "nope"}}, None)
expect(answer["statusCode"] == 404, "GET of a missing order answered %s" % answer["statusCode"])
expect(intake.handler({"routeKey": "DELETE /orders"}, None)["statusCode"] == 404, "unknown route not 404")

# The consumer fulfils what it can and reports only the rest.
result = fulfilment.handler({"Records": [
    {"messageId": "m1", "body": json.dumps({"orderId": order["orderId"]})},
    {"messageId": "m2", "body": json.dumps({"orderId": "missing"})},
    {"messageId": "m3", "body": "garbage"},
]}, None)
expect(result == {"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m3"}]}, "batch failures %s" % result)
expect(TABLE.items[order["orderId"]]["status"] == "fulfilled", "order not marked fulfilled")
print("order service handlers: ok")
