-- Money helpers: rounding and formatting amounts in cents.
local strings = require("strings")

local money = {}

function money.round2(x: number): number
    return math.floor(x * 100 + 0.5) / 100
end

function money.cents(x: number): integer
    return math.floor(x * 100 + 0.5) // 1
end

function money.format(x: number, currency: string?): string
    local code = strings.trim(currency or "USD")
    return string.format("%.2f %s", money.round2(x), code)
end

-- Sum of price * qty over line items; bitwise check keeps quantities non-negative.
function money.total(items: {{price: number, qty: integer?}}): number
    local total = 0
    for _, item in ipairs(items) do
        local qty = item.qty or 1
        if qty & 0x80000000 == 0 then
            total = total + item.price * qty
        end
    end
    return money.round2(total)
end

return money
