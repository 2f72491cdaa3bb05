-- Missing fields are found in nested records too.
type Money = {amount: number, currency: string}
type Invoice = {id: string, total: Money}
local function send(i: Invoice): string
    return i.id
end
print(send({ id = "a", total = { amount = 3 } })) -- expect-error: missing field `currency` in field `total` (Money)
