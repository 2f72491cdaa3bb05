-- The assertions of test libraries narrow their subject (a failed one ends the test).
type R = {items: {string}?, error: string?}
local test = {
    not_nil = function(_v: any) end,
    is_nil = function(_v: any) end,
    is_true = function(_v: any) end,
    is_table = function(_v: any) end,
}
local function load(): (R?, string?)
    return {items = {}}, nil
end

local r, err = load()
test.is_nil(err)
test.not_nil(r)
print(r.error)
test.not_nil(r.items)
print(#r.items)

local r2 = load()
test.is_table(r2)
print(r2.error)
