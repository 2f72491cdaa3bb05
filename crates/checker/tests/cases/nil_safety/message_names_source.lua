-- The message says where the nil comes from: the declared return of `lookup`.
local function lookup(k: string): string?
    if k == "" then return nil end
    return k
end
local v = lookup("a")
print(v:upper()) -- expect-error: E0021 cannot call a method of `v`: it may be nil (`lookup(…)` may return nil)
