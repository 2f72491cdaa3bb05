-- `ok: true | false` discriminants narrow by `if r.ok then`.
type Ok = {ok: true, value: string}
type Err = {ok: false, message: string}
local function f(r: Ok | Err): string
    if r.ok then
        return r.value
    end
    return r.message
end
print(f({ok = false, message = "m"}))
