-- PUT/PATCH /orders/:id — change the items or the note of a draft order.
local json = wraith.import("json")
local order = state.get("orders", req.params.id)
if not order then
    emit.error(404, "not_found", "order does not exist")
    return
end
if order.status ~= "draft" then
    emit.error(409, "conflict", "only draft orders can be changed")
    return
end
local patch = json.decode(req.body) or {}
if patch.items then
    local total = 0
    for _, item in ipairs(patch.items) do
        total = total + (item.price or 0) * (item.qty or 1)
    end
    order.items = patch.items
    order.item_count = #patch.items
    order.total = math.floor(total * 100 + 0.5) / 100
end
if patch.note ~= nil then
    order.note = tostring(patch.note)
end
order.updated_at = clock.now()
state.put("orders", order.id, order)
emit.status(200)
emit.json(order)
