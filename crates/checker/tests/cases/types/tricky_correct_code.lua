-- Correct code mixing the features stays clean.
type Item = {name: string, qty: integer, price: number, tags?: {string}}

local function total(items: {Item}): number
    local sum = 0
    for _, it in ipairs(items) do
        sum = sum + it.qty * it.price
    end
    return sum
end

local function make(name: string, qty: integer): Item
    local it = { name = name, qty = qty, price = 1.5 }
    if qty > 10 then
        it.tags = { "bulk" }
    end
    return it
end

local cart = {}
table.insert(cart, make("a", 2))
table.insert(cart, make("b", 20))
local pages = math.ceil(#cart / 10)
print(total(cart), pages, string.rep("-", pages), cart[1].name)
