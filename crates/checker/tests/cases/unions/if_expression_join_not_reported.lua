-- Values joined from branches of different kinds are a union.
local function f(flag: boolean): string
    local v = flag and "yes" or "no"
    return v
end
print(f(true))
