-- POST /orders/:id/submit — status transition draft → submitted (anything else is a conflict).
local transitions = { draft = "submitted" }
local order = state.get("orders", req.params.id)
if not order then
    emit.error(404, "not_found", "order does not exist")
    return
end
local next_status = transitions[order.status]
if not next_status then
    emit.error(409, "invalid_transition", "cannot submit an order in status " .. tostring(order.status))
    return
end
if (order.item_count or 0) == 0 then
    emit.error(422, "empty_order", "an order needs at least one item")
    return
end
order.status = next_status
order.submitted_at = clock.now()
order.updated_at = order.submitted_at
state.put("orders", order.id, order)
emit.status(200)
emit.json(order)
