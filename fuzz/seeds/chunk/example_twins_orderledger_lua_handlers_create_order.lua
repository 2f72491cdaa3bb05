-- POST /orders — create an order with a computed total.
local json = wraith.import("json")
local body = json.decode(req.body)
if not body or not body.customer_id then
    emit.status(400)
    emit.json({ error = { code = "invalid_request", message = "customer_id is required" } })
    return
end
-- Reference an existing entity.
local customer = state.get("customers", body.customer_id)
if not customer then
    emit.status(400)
    emit.json({ error = { code = "invalid_customer", customer_id = body.customer_id } })
    return
end
-- Compute the total from request items.
local items = body.items or {}
local total = 0
for _, item in ipairs(items) do
    total = total + (item.price or 0) * (item.qty or 1)
end
total = math.floor(total * 100 + 0.5) / 100 -- round to 2 decimals
-- Generate an ID via the namespace counter.
local seq = state.counter("order_seq")
local oid = string.format("ord_%08x", seq)
local now = clock.now()
local order = {
    id = oid,
    customer_id = body.customer_id,
    items = items,
    item_count = #items,
    total = total,
    status = "draft",
    created_at = now,
    updated_at = now,
}
state.put("orders", oid, order)
emit.status(201)
emit.json(order)
