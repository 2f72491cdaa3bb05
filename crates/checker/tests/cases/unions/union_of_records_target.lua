-- A literal checked against a union of records: the closest member explains.
type Ok = {ok: true, value: string}
type Err = {ok: false, error: string}
local function handle(r: Ok | Err): string
    return tostring(r.ok)
end
print(handle({ ok = true, value = "v" }))
print(handle({ ok = false, error = "e" }))
