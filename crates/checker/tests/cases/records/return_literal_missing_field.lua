-- A returned literal must fit the declared return type.
type Result = {ok: boolean, value: string}
local function make(v: string): Result
    if v == "" then
        return { ok = false } -- expect-error: returned value 1: missing field `value` in Result
    end
    return { ok = true, value = v }
end
print(make("x"))
