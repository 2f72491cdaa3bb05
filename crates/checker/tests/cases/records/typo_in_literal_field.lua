-- A literal field close to a field the record expects and lacks is a typo (E0004).
type Options = {timeout_ms?: integer, retries?: integer}
local function connect(url: string, o: Options): string
    return url .. tostring(o.timeout_ms)
end
print(connect("db://x", { timout_ms = 500 })) -- expect-error: `timout_ms` is not a field of Options; did you mean `timeout_ms`?
print(connect("db://x", { timeout_ms = 500, retries = 2 }))
