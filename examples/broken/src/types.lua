-- Mistakes the type relation finds: records, integers, arity, operands, readonly fields.
type Money = {amount: number, currency: string}
type Options = {timeout_ms?: integer, retries?: integer}
type Limits = readonly {max: integer}

local function pay(m: Money): string
    return m.currency .. tostring(m.amount)
end

local function connect(url: string, o: Options): string
    return url .. tostring(o.timeout_ms)
end

local function page(n: integer, size: integer, label: string): string
    return label .. tostring(n * size)
end

local function main()
    local paid = pay({ amount = 10 })
    local conn = connect("db://x", { timout_ms = 500 })
    local p = page(1.5, 10, "x") .. page(1, 10)
    local resp = { status = 200 }
    local ok = resp.status == "200"
    local lim: Limits = { max = 3 }
    lim.max = 4
    return paid, conn, p, ok
end

return { main = main }
