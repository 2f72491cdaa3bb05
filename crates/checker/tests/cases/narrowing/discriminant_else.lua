-- The `else` of a discriminant test keeps the other members.
type Ok = {ok: true, value: string}
type Err = {ok: false, message: string}
local function f(r: Ok | Err): string
    if r.ok == true then
        return r.value
    else
        return r.message
    end
end
print(f({ok = true, value = "v"}))
