# Reports whether one access point of a community mesh network is online, as
# the CloudWatch metric Online (1 online, 0 offline) in ${MetricNamespace}.
# CloudFormation substitutes the stack parameters below when it deploys it.
import json
import urllib.request
from datetime import datetime, timedelta, timezone

import boto3

NODES_URL = "${NodesApiUrl}"
ACCESS_POINT = "${AccessPointName}"
NAMESPACE = "${MetricNamespace}"
HOLD_MINUTES = ${CheckRateMinutes}

cloudwatch = boto3.client("cloudwatch")


def nodes_of(data):
    # meshviewer.json lists nodes; nodes.json (v1) maps node ids to nodes.
    nodes = data.get("nodes", []) if isinstance(data, dict) else data
    return nodes.values() if isinstance(nodes, dict) else nodes


def name_of(node):
    info = node.get("nodeinfo", node)
    return info.get("hostname") or info.get("name")


def is_online(node):
    if "is_online" in node:
        return bool(node["is_online"])
    return bool(node.get("flags", {}).get("online", node.get("online")))


def handler(event, context):
    with urllib.request.urlopen(NODES_URL, timeout=20) as response:
        nodes = [n for n in nodes_of(json.load(response)) if name_of(n) == ACCESS_POINT]
    if not nodes:
        print(f"{ACCESS_POINT} is not in the nodes list: reporting it offline")
    online = bool(nodes) and is_online(nodes[0])
    print(f"{ACCESS_POINT} online: {online}")
    # Hold the reading for every minute until the next check, so the alarm
    # can use one-minute periods whatever the check rate, and a missing
    # minute means the checks stopped.
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    cloudwatch.put_metric_data(
        Namespace=NAMESPACE,
        MetricData=[
            {
                "MetricName": "Online",
                "Dimensions": [{"Name": "AccessPoint", "Value": ACCESS_POINT}],
                "Timestamp": now + timedelta(minutes=minute),
                "Value": 1 if online else 0,
                "Unit": "Count",
            }
            for minute in range(HOLD_MINUTES)
        ],
    )
    return {"accessPoint": ACCESS_POINT, "online": online}
