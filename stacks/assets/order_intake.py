"""Takes orders over HTTP (API Gateway payload 2.0): POST /orders stores one
and queues it for fulfilment; GET /orders/{orderId} shows it."""
import base64
import json
import os
import time
import uuid
from decimal import Decimal

import boto3

table = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])
sqs = boto3.client("sqs")
queue_url = os.environ["FULFILMENT_QUEUE_URL"]


def handler(event, context):
    route = event.get("routeKey")
    if route == "POST /orders":
        return take(event)
    if route == "GET /orders/{orderId}":
        return show(event["pathParameters"]["orderId"])
    return answer(404, {"message": "no such route"})


def take(event):
    body = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body)
    try:
        order = json.loads(body, parse_float=Decimal)
    except ValueError:
        return answer(400, {"message": "the body must be JSON"})
    customer = order.get("customerId") if isinstance(order, dict) else None
    items = order.get("items") if isinstance(order, dict) else None
    if not isinstance(customer, str) or not customer or not isinstance(items, list) or not items:
        return answer(400, {"message": "give a customerId and a non-empty list of items"})
    item = {
        "orderId": str(uuid.uuid4()),
        "customerId": customer,
        "items": items,
        "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "status": "accepted",
    }
    table.put_item(Item=item)
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"orderId": item["orderId"]}))
    return answer(201, item)


def show(order_id):
    item = table.get_item(Key={"orderId": order_id}).get("Item")
    if item is None:
        return answer(404, {"message": "no order " + order_id})
    return answer(200, item)


def answer(status, body):
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body, default=number),
    }


def number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(repr(value))
