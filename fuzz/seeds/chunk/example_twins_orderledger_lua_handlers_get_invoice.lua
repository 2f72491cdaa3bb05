-- GET /orders/:id/invoice — the invoice of an order: lines, subtotal, tax and total.
local order = state.get("orders", req.params.id)
if not order then
    emit.error(404, "not_found", "order does not exist")
    return
end
local customer = state.get("customers", order.customer_id) or {}
local lines = {}
local subtotal = 0
for i, item in ipairs(order.items or {}) do
    local qty = item.qty or 1
    local amount = math.floor((item.price or 0) * qty * 100 + 0.5) / 100
    subtotal = subtotal + amount
    lines[i] = { sku = item.sku, qty = qty, amount = amount }
end
local rate = customer.tax_rate or 0
local tax = math.floor(subtotal * rate * 100 + 0.5) / 100
emit.status(200)
emit.json({
    invoice_id = "inv_" .. string.sub(order.id, 5),
    order_id = order.id,
    customer = customer.name,
    lines = lines,
    subtotal = subtotal,
    tax = tax,
    total = subtotal + tax,
    issued_at = clock.now(),
})
