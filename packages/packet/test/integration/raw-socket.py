#!/usr/bin/python3
# A raw Ethernet port for the integration test: prints every frame received on IFACE as one hex
# line on stdout, and sends every hex line read from stdin as a frame. Frames this socket sends
# itself (PACKET_OUTGOING) are not echoed. Standard library only.
import os
import select
import socket
import sys

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

iface = sys.argv[1]
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
sock.bind((iface, 0))
stdin = sys.stdin.buffer
pending = b''
print('ready', flush=True)
while True:
    readable, _, _ = select.select([sock, stdin], [], [])
    if sock in readable:
        frame, address = sock.recvfrom(65535)
        if address[2] != PACKET_OUTGOING:
            sys.stdout.write(frame.hex() + '\n')
            sys.stdout.flush()
    if stdin in readable:
        chunk = os.read(stdin.fileno(), 65536)
        if not chunk:
            break
        pending += chunk
        while b'\n' in pending:
            line, pending = pending.split(b'\n', 1)
            if line.strip():
                sock.send(bytes.fromhex(line.decode()))
