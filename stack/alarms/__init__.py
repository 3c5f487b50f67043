"""Every alarm of the stack, declared in the module of the area it watches (stack/alarms/alarm.py says how)."""

from __future__ import annotations

from stack.alarms import queues, reminders
from stack.alarms.alarm import Alarm

CATALOGUE: tuple[Alarm, ...] = (*reminders.ALARMS, *queues.ALARMS)
