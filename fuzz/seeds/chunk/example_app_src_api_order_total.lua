-- Computes an order total from JSON line items.
local json = require("json")
local money = require("money")

local function main(payload: string)
    local items, err = json.decode(payload)
    if err then
        return nil, err
    end
    local total = money.total(items)
    return { total = total, display = money.format(total, "EUR") }
end

return { main = main }
