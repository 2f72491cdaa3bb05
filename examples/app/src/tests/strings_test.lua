-- Tests of the string and money libraries, written with the testing library's globals.
local test = require("test")
local strings = require("strings")
local money = require("money")

local function run()
    describe("strings", function()
        it("trims", function()
            expect(strings.trim("  a b  ")).to_be("a b")
        end)
        it("slugifies", function()
            expect(strings.slugify(" Hello World ")).to_be("hello-world")
        end)
        it("splits", function()
            expect(#strings.split("a,b,c", ",")).to_be(3)
        end)
    end)
    describe("money", function()
        it("rounds", function()
            expect(money.round2(1.005 * 100 / 100)).to_be(1.0)
        end)
        it("totals", function()
            expect(money.total({ { price = 2.5, qty = 2 }, { price = 1 } })).to_be(6)
        end)
    end)
    local r = test.results()
    if r.failed > 0 then
        return false, table.concat(r.failures, "; ")
    end
    return true
end

return { run = run }
