-- GET /orders/:id — one order, or 404.
local order = state.get("orders", req.params.id)
if not order then
    emit.error(404, "not_found", "order " .. tostring(req.params.id) .. " does not exist")
    return
end
emit.status(200)
emit.json(order)
