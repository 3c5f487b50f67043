"""The inbox: one list per workspace of what needs a person (a debtor's question, a dispute, a bounced address...).

Producers open items where the event happens (`items.open_op` inside their own transaction, else `items.open_item`);
what resolves an item closes it (`items.close_matching`); members list, assign and close them (`lists`, `changes`).
"""
