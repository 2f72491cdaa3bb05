-- DELETE /orders/:id — remove an order that was never submitted.
local order = state.get("orders", req.params.id)
if not order then
    emit.error(404, "not_found", "order does not exist")
    return
end
if order.status == "submitted" then
    emit.error(409, "conflict", "submitted orders cannot be deleted")
    return
end
state.delete("orders", order.id)
emit.status(204)
