"""SMS through an operator's SMPP account: the outbox, the channel, the worker that drains it."""

from camps.communication.channels import register
from camps.communication.sms.channel import SmsChannel

register(SmsChannel())
