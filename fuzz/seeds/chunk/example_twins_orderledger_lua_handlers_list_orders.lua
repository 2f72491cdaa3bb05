-- GET /orders — all orders, optionally filtered by ?status= and ?customer_id=.
local orders
if req.query.customer_id then
    orders = state.query("orders", "customer_id", req.query.customer_id)
else
    orders = state.list("orders")
end
local wanted = req.query.status
local out = {}
for _, order in ipairs(orders) do
    if not wanted or order.status == wanted then
        table.insert(out, order)
    end
end
table.sort(out, function(a, b)
    return a.id < b.id
end)
emit.status(200)
emit.json({ data = out, count = #out })
