-- Wippy type syntax is read and used: annotated locals, parameters, returns, casts, generics.
type Status = "draft" | "done"
type Order = {id: string, total: number, status: Status, note?: string}

local function total_of(order: Order): number
    return order.total
end

local function label(order: Order): string
    return order.id .. ":" .. tostring(order.total)
end

local function first<T>(items: {T}): T?
    return items[1]
end

local n: number = total_of({ id = "a", total = 2, status = "draft" })
local s: string = label({ id = "b", total = 3, status = "done" })
local wrong: integer = "x" -- expect-error: E0000
local casted = (n as any) :: string
local forced = first({ 1, 2 })!
local validated: integer @min(0) @max(10) = 5
local fn: fun(x: number): string = tostring
local arr: number[] = { 1, 2, 3 }
print(n, s, wrong, casted, forced, validated, fn, arr)

local function bad_return(): number
    return "no" -- expect-error: E0000
end
print(bad_return())
