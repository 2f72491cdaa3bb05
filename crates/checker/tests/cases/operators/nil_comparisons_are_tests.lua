-- Comparing with nil is a presence test.
local function f(n: integer): boolean
    return n ~= nil and n == n
end
print(f(1))
