"""The reviewer panel for every tool: drafted reviews with receipts, member takes, one queue.

``models`` holds the values, ``rules`` the length and number checks every draft passes,
``facts`` what a prompt may tell the model, ``prompt`` and ``output`` the request and the answer's
schema, ``drafting`` the run (caps, retries, faults), ``queue`` the approval use cases.
"""
