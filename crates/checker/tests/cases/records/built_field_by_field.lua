-- A table built up field by field is checked with the fields it has when used.
type Money = {amount: number, currency: string}
local function pay(m: Money): number
    return m.amount
end
local m = {}
m.amount = 12
m.currency = "EUR"
print(pay(m))
local partial = {}
partial.amount = 1
print(pay(partial)) -- expect-error: missing field `currency` in Money
