-- A durable order workflow: price the order, wait, then charge it through a function entry.
local time = require("time")
local json = require("json")
local funcs = require("funcs")
local money = require("money")

local function main(order)
    local total = money.total(order.items or {})
    time.sleep("1s")
    local charged, err = funcs.call("app.api:charge", { order_id = order.id, amount = total })
    if err then
        return { status = "failed", error = tostring(err) }
    end
    local receipt = json.encode({ order = order.id, total = total, charged = charged })
    return { status = "done", receipt = receipt }
end

return { main = main }
