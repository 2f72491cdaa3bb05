-- `x = x or d` gives a non-nil value.
local function next_id(n: integer?): integer
    n = n or 0
    return n + 1
end
local function next_id2(n: integer?): integer
    return (n or 0) + 1
end
print(next_id(1), next_id2(nil))
